//go:build race

package risk

// raceDetector is true when the tests run under -race.
const raceDetector = true

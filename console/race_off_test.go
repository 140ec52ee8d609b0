//go:build !race

package console_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false

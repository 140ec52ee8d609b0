//go:build race

package console_test

// raceEnabled: the tests run under the race detector, which makes every
// byte a test copies many times dearer; tests that move megabytes send
// smaller ones (never fewer).
const raceEnabled = true

//go:build race

package expr

// raceEnabled: the race detector drops sync.Pool entries at random, so
// the regexp path allocates under it.
const raceEnabled = true

package tokencache

// FileName exposes the key-to-file-name mapping to the external tests.
var FileName = fileName

// Scrub exposes the keyring error scrubber: go-keyring's mock cannot be made
// to fail only on Set, so the scrubbing is tested directly.
var Scrub = scrub

// LockPoll is the interval Lock polls a lock held by another process.
const LockPoll = lockPoll

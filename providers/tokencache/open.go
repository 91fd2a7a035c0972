package tokencache

import (
	"fmt"

	"github.com/keyhole-sh/keyhole/internal/xdg"
	"github.com/keyhole-sh/keyhole/providers"
)

// The values of the token_cache setting.
const (
	SettingFile    = "file"
	SettingKeyring = "keyring"
	SettingMemory  = "memory"
)

// Open returns the Store the token_cache setting asks for, and a notice for
// the user ("" when there is nothing to say):
//
//   - "file" (also ""): NewFile(dir);
//   - "keyring": the OS keyring, with NewFile(dir) for locks, for tokens too
//     large for the keyring, and in its place when no keyring answers — the
//     notice then says so and where tokens go;
//   - "memory": NewMemory; dir is not touched.
//
// dir is the state folder (StateDir). opts go to NewFile. An unknown
// setting, or a folder that cannot be made private, is an error.
func Open(setting, dir string, opts ...FileOption) (providers.Store, string, error) {
	switch setting {
	case SettingMemory:
		return NewMemory(), "", nil
	case "", SettingFile:
		f, err := NewFile(dir, opts...)
		if err != nil {
			return nil, "", err
		}
		return f, "", nil
	case SettingKeyring:
		// The file store is needed even when the keyring works: it is
		// the only thing that can lock across processes.
		f, err := NewFile(dir, opts...)
		if err != nil {
			return nil, "", err
		}
		s, notice := NewKeyring(KeyringService, f)
		return s, notice, nil
	default:
		return nil, "", fmt.Errorf("token_cache = %q: want %q, %q or %q", setting, SettingFile, SettingKeyring, SettingMemory)
	}
}

// StateDir is keyhole's state folder: $XDG_STATE_HOME/keyhole, or
// ~/.local/state/keyhole when XDG_STATE_HOME is unset or not absolute (the
// XDG spec says to ignore a relative one). getenv is os.Getenv outside
// tests.
func StateDir(getenv func(string) string) (string, error) {
	dir, err := xdg.Dir(getenv, "XDG_STATE_HOME", "USERPROFILE", ".local", "state")
	if err != nil {
		return "", fmt.Errorf("cannot place the token cache: %w", err)
	}
	return dir, nil
}

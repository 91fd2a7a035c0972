package app

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/tokencache"
)

// stateDir is where DPoP keys and nonces are kept: the state folder, or
// "" (in memory, for this run) for the built-in demo, whose server and
// port change every run, or when there is no state folder to be had.
func (a *App) stateDir(builtin bool) string {
	if builtin || a.opts.Getenv == nil {
		return ""
	}
	dir, err := tokencache.StateDir(a.opts.Getenv)
	if err != nil {
		return ""
	}
	return dir
}

// dpopBinding is the resolved provider p's DPoP key and nonces, nil when
// p has no dpop = true. The key is read from dpop_key_file, or from
// stateDir (the state folder, see tokencache.StateDir), and made there
// when there is none; the nonces are kept in stateDir. With stateDir ""
// and no dpop_key_file, both live in memory for this run. Its errors name the
// provider, the key and the file, never the file's content.
func dpopBinding(p *config.Provider, stateDir string) (*dpop.Binding, error) {
	if !p.DPoP {
		return nil, nil
	}
	keyPath, noncePath := dpop.Paths(stateDir, p.Name)
	if stateDir == "" {
		// No state folder (the built-in demo, a test): a key and nonces
		// for this run only.
		keyPath, noncePath = "", ""
	}
	configKey := "dpop"
	if p.DPoPKeyFile != "" {
		configKey = "dpop_key_file"
		path, err := p.FilePath(p.DPoPKeyFile)
		if err != nil {
			return nil, &providers.TLSFileError{Provider: p.Name, Key: configKey, File: path, Msg: err.Error()}
		}
		keyPath = path
	}
	if keyPath == "" {
		key, err := dpop.Generate()
		if err != nil {
			return nil, fmt.Errorf("provider %s: %w", p.Name, err)
		}
		return &dpop.Binding{Key: key, Nonces: dpop.NewNonces("")}, nil
	}
	key, _, err := dpop.Load(keyPath)
	if err != nil {
		fe := &providers.TLSFileError{Provider: p.Name, Key: configKey, File: keyPath, Msg: err.Error()}
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrPermission):
			fe.Msg, fe.Hint = "permission denied", "keyhole must be able to read and write the key file"
		case errors.As(err, &pe):
			fe.Msg = pe.Op + ": " + pe.Err.Error()
		case errors.Is(err, safefile.ErrNotRegular):
			fe.Msg = "not a regular file"
		default:
			fe.Hint = "a DPoP key is an EC (P-256, P-384, P-521), RSA (2048 bits or more) or Ed25519 private key, PEM or JWK; remove dpop_key_file and keyhole makes one"
		}
		return nil, fe
	}
	return &dpop.Binding{Key: key, Nonces: dpop.NewNonces(noncePath)}, nil
}

// withDPoP is c with b's proofs on its requests (see dpop.Binding.Wrap);
// c itself when b is nil.
func withDPoP(c *http.Client, b *dpop.Binding) *http.Client {
	if b == nil {
		return c
	}
	out := providers.NewClient(c)
	out.Transport = b.Wrap(c.Transport)
	return out
}

package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FilePath is where a path written in p's config points. Every key that
// names a file (ca_file, cert_file, key_file, and any added later) is read
// through it, so that one rule holds for all of them: ~/ is the home
// folder, and a relative path is taken from the folder of the config file
// that holds it, not from wherever keyhole happens to run. A provider not
// read from a file (built in code) keeps a relative path relative to the
// working directory.
func (p *Provider) FilePath(path string) (string, error) {
	path, err := expandHome(path)
	if err != nil || path == "" || filepath.IsAbs(path) || p.src == nil || p.src.path == "" {
		return path, err
	}
	return filepath.Join(filepath.Dir(p.src.path), path), nil
}

// expandHome turns a leading ~/ into the home directory.
func expandHome(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") && !strings.HasPrefix(path, `~\`) {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return path, fmt.Errorf("cannot expand ~: %w", err)
	}
	return filepath.Join(home, path[1:]), nil
}

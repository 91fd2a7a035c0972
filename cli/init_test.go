package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
)

func TestExampleConfigCopyInSync(t *testing.T) {
	root, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root, exampleConfig) {
		t.Fatal("cli/config.example.toml differs from config.example.toml: run cp config.example.toml cli/")
	}
}

func TestInit(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		vars  map[string]string
		where func(h *harness) string
	}{
		{"XDG_CONFIG_HOME", nil, nil, func(h *harness) string { return filepath.Join(h.dir, "config", "keyhole", "config.toml") }},
		{"HOME", nil, map[string]string{"XDG_CONFIG_HOME": ""}, func(h *harness) string { return filepath.Join(h.dir, ".config", "keyhole", "config.toml") }},
		{"--config", []string{"--config", "NEW/k.toml"}, nil, func(h *harness) string { return filepath.Join(h.dir, "new", "k.toml") }},
		{"KEYHOLE_CONFIG", nil, map[string]string{"KEYHOLE_CONFIG": "NEW/env.toml"}, func(h *harness) string { return filepath.Join(h.dir, "new", "env.toml") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			args := append([]string{"init"}, c.args...)
			for i := range args {
				args[i] = strings.Replace(args[i], "NEW", filepath.Join(h.dir, "new"), 1)
			}
			for k, v := range c.vars {
				h.vars[k] = strings.Replace(v, "NEW", filepath.Join(h.dir, "new"), 1)
			}
			want := c.where(h)
			r := h.run(args...)
			r.expect(t, ExitOK, "init")
			if !strings.Contains(r.out, want) {
				t.Errorf("stdout %q does not name %s", r.out, want)
			}
			got, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, exampleConfig) {
				t.Error("the written file is not the example config")
			}
			if _, err := config.Parse(want, got); err != nil {
				t.Errorf("the written config does not parse: %v", err)
			}
			if runtime.GOOS != "windows" {
				fi, _ := os.Stat(want)
				di, _ := os.Stat(filepath.Dir(want))
				if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
					t.Errorf("file mode %04o, folder %04o; want 0600, 0700", fi.Mode().Perm(), di.Mode().Perm())
				}
			}

			// Never overwrite.
			if err := os.WriteFile(want, []byte("# mine\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			r = h.run(args...)
			r.expect(t, ExitUsage, "init over an existing file")
			if !strings.Contains(r.errOut, want) || !strings.Contains(r.errOut, "already exists") {
				t.Errorf("stderr does not name the file: %s", r.errOut)
			}
			if got, _ := os.ReadFile(want); string(got) != "# mine\n" {
				t.Error("init overwrote the file")
			}
		})
	}
}

// TestInitThenProviders is the first-run path: init, then providers finds
// the file at the default location and lists its providers.
func TestInitThenProviders(t *testing.T) {
	h := newHarness(t)
	h.run("init").expect(t, ExitOK, "init")
	r := h.run("providers")
	r.expect(t, ExitOK, "providers after init")
	if !strings.Contains(r.out, "tapkey") || !strings.Contains(r.out, "unset ${TAPKEY_CLIENT_ID}") {
		t.Errorf("providers:\n%s", r.out)
	}
}

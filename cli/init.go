package cli

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyhole-sh/keyhole/providers/preset"
)

// exampleConfig is config.example.toml. Go cannot embed a file above the
// package's folder, so cli/ keeps a copy; TestExampleConfigCopyInSync fails
// when it drifts from the one at the repository's root.
//
//go:embed config.example.toml
var exampleConfig []byte

func newInitCmd(e env, configPath *string) *cobra.Command {
	var fromSpec, presetName, name string
	cmd := &cobra.Command{
		Use:   "init [--from-openapi FILE|URL | --preset NAME] [--name NAME]",
		Short: "Write the example config to your config path (never overwrites)",
		Long: `init writes the example configuration — one provider of each shape keyhole is
built for — where keyhole looks first: --config FILE, else $KEYHOLE_CONFIG,
else $XDG_CONFIG_HOME/keyhole/config.toml (~/.config/keyhole/config.toml).
The file is created with mode 0600, its folder with 0700. An existing file is
never overwritten.

--from-openapi FILE|URL writes nothing: it prints provider tables made from an
OpenAPI 3 description, to read and paste. base_url comes from its first server
(variables at their defaults; a relative one taken from the spec's URL), the
token settings from its securitySchemes: OAuth 2.0 flows become grants with
their URLs and scopes (clientCredentials: client_credentials; authorizationCode:
authorization_code with PKCE; deviceAuthorization: device_code; implicit and
password are not written, and the output says why), openIdConnect the issuer
for discovery, HTTP bearer and API keys a pasted token sent where the spec
says. One table per flow or scheme, named NAME-cc, NAME-pkce, NAME-device,
NAME-oidc, NAME-token, NAME-key (NAME alone for one); NAME is --name, else made
from the spec's title. Each guess is commented, each secret is a ${VAR}, and
openapi points at the spec. A URL is fetched once, following no redirect.

--preset NAME writes nothing either: it prints a provider table for one of the
common identity providers (` + strings.Join(preset.Names(), ", ") + `),
every key commented, to read and paste. preset = "NAME" fills the provider's
endpoints from a list kept in keyhole; the table sets the tenant, domain or
realm they are made from, with an example to replace. The table is named
--name, else after the preset.`,
		Example: `  keyhole init
  keyhole init --from-openapi ./openapi.yaml --name shop >> ~/.config/keyhole/config.toml
  keyhole init --from-openapi https://api.example.com/openapi.json
  keyhole init --preset okta --name work >> ~/.config/keyhole/config.toml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if fromSpec != "" && presetName != "" {
				return &exitError{code: ExitUsage, err: errors.New("--from-openapi and --preset each print a config: give one")}
			}
			if fromSpec != "" {
				return runInitFromSpec(cmd.Context(), e, fromSpec, name)
			}
			if presetName != "" {
				return runInitPreset(e, presetName, name)
			}
			if name != "" {
				return &exitError{code: ExitUsage, err: errors.New("--name names the providers --from-openapi writes, or the table --preset writes")}
			}
			path := *configPath
			if path == "" {
				path = e.getenv("KEYHOLE_CONFIG")
			}
			if path == "" {
				path = DefaultConfigPath(e.getenv)
			}
			if path == "" {
				return &exitError{code: ExitUsage, err: errors.New("cannot place the config: neither XDG_CONFIG_HOME nor HOME is set; name a file with --config")}
			}
			if err := writeNew(path, exampleConfig); err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			fmt.Fprintf(e.stdout, "wrote %s\n", path)
			fmt.Fprintln(e.stderr, "keyhole: edit it, export the ${VAR}s its providers use, then run keyhole providers to check it")
			return nil
		},
	}
	cmd.Flags().StringVar(&fromSpec, "from-openapi", "", "print provider tables written from this OpenAPI spec (a file or an http(s) URL) instead")
	cmd.Flags().StringVar(&presetName, "preset", "", "print a provider table for this preset ("+strings.Join(preset.Names(), ", ")+") instead")
	cmd.Flags().StringVar(&name, "name", "", "with --from-openapi or --preset: the providers' name (default: from the spec's title, or the preset's name)")
	return cmd
}

// writeNew creates path with data, mode 0600, and its folder with mode
// 0700 if missing; it refuses to touch a file that exists.
func writeNew(path string, data []byte) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
		// MkdirAll's mode passes through the umask, which can only take
		// bits away; 0700 is what we want whatever it is.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; keyhole init never overwrites a config (move it away first, or pass --config NEWFILE)", path)
	}
	if err != nil {
		return fmt.Errorf("write the config: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/preset"
)

// keyhole init --preset: a provider table for one of the presets, every
// key commented, printed for the person to read and paste. Like
// --from-openapi it writes nothing.

// runInitPreset prints the provider table of the preset called name,
// under the provider name table (the preset's name when empty).
func runInitPreset(e env, name, table string) error {
	ps, ok := preset.Lookup(name)
	if !ok {
		msg := fmt.Sprintf("--preset %q: no such preset (there are %s)", name, strings.Join(preset.Names(), ", "))
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s", msg)}
	}
	if table == "" {
		table = ps.Name
	}
	if !bareKey(table) {
		return &exitError{code: ExitUsage, err: fmt.Errorf("--name %q: a provider name here is letters, digits, - and _", table)}
	}
	text := presetConfig(ps, table)
	// What we print must load as it is, placeholders and all.
	if _, err := config.Parse("keyhole init --preset", []byte(text)); err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("the config written for preset %s does not load (a keyhole bug; please report it): %w", ps.Name, err)}
	}
	_, err := fmt.Fprint(e.stdout, text)
	return err
}

// presetConfig is the table for preset ps named table: the parameters the
// preset needs set to its examples, the ones it may take commented out,
// the client's keys, and last, commented out, the keys the preset fills,
// with the values the examples give them.
func presetConfig(ps *preset.Preset, table string) string {
	var b strings.Builder
	comment := func(text string) {
		lead := "# "
		for _, line := range wrapComment(text, 76) {
			b.WriteString(lead + line + "\n")
			if strings.HasPrefix(text, "- ") {
				lead = "#   "
			}
		}
	}
	key := func(on bool, doc, k, value string) {
		comment(doc)
		if !on {
			b.WriteString("# ")
		}
		b.WriteString(k + " = " + value + "\n")
	}
	env := strings.ToUpper(strings.ReplaceAll(table, "-", "_"))

	comment(fmt.Sprintf("%s, from keyhole's preset %q. The preset fills the keys commented out at the end; set any of them here to change it. keyhole providers --json shows the URLs it makes.", ps.Title, ps.Name))
	for _, n := range ps.Notes {
		comment("- " + n)
	}
	fmt.Fprintf(&b, "[providers.%s]\n", table)
	b.WriteString("preset = " + tomltext.Quote(ps.Name) + "\n")
	var params preset.Params
	for _, k := range ps.Reads {
		key(slices.Contains(ps.Needs, k), ps.Doc[k], k, tomltext.Quote(ps.Example[k]))
		if slices.Contains(ps.Needs, k) {
			params.Set(k, ps.Example[k])
		}
	}
	fields, err := ps.Fill(params)
	if err != nil {
		// The examples are the preset's own; TestInitPresetEveryPreset
		// loads every table this writes.
		comment("(keyhole could not fill the preset from its own examples: " + err.Error() + ")")
	}
	filled := map[string]string{}
	for _, f := range fields {
		filled[f.Key] = f.Value
	}
	if _, ok := filled["base_url"]; !ok {
		key(true, "the API: request paths are joined to it, and only its origin gets the token", "base_url", tomltext.Quote(ps.BaseURL))
	}
	key(true, "the application's client ID, from the environment", "client_id", tomltext.Quote("${"+env+"_CLIENT_ID}"))
	if ps.Secret {
		key(true, "the client secret "+ps.Title+" requires, from the environment", "client_secret", tomltext.Quote("${"+env+"_CLIENT_SECRET}"))
	} else {
		key(false, "for a confidential client, its secret, from the environment", "client_secret", tomltext.Quote("${"+env+"_CLIENT_SECRET}"))
	}
	if len(ps.Scopes) > 0 {
		quoted := make([]string, len(ps.Scopes))
		for i, s := range ps.Scopes {
			quoted[i] = tomltext.Quote(s)
		}
		key(true, "the scopes to ask for", "scopes", "["+strings.Join(quoted, ", ")+"]")
	}
	if ps.Audience {
		key(false, "the API's identifier: set it to get a JWT access token your API can check (without it "+ps.Title+" issues an opaque one)", "audience", tomltext.Quote(ps.BaseURL))
	}
	b.WriteString("\n")
	comment("Filled by the preset (shown with the values above):")
	for _, f := range fields {
		fmt.Fprintf(&b, "# %s = %s  # %s\n", f.Key, tomltext.Quote(f.Value), presetFieldDoc[f.Key])
	}
	return b.String()
}

// presetFieldDoc says what each key a preset fills is, for its comment.
var presetFieldDoc = map[string]string{
	"grant":          "how the token is got; any grant may be set instead",
	"base_url":       "the API",
	"issuer":         "the issuer, for discovery of what the preset does not fill",
	"auth_url":       "the authorization endpoint, where the browser signs in",
	"token_url":      "the token endpoint",
	"device_url":     "the device authorization endpoint (grant = \"device_code\")",
	"revoke_url":     "the revocation endpoint (RFC 7009)",
	"introspect_url": "the introspection endpoint (RFC 7662)",
	"client_auth":    "how the client authenticates at the token endpoint",
}

// wrapComment breaks text into lines of at most width runes, at spaces.
func wrapComment(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

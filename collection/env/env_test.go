package env

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// jetbrainsPublic is an http-client.env.json as the JetBrains HTTP Client
// documents it: $shared values, environments, a Security.Auth entry whose
// secret lives in the private file.
const jetbrainsPublic = `{
  "$shared": {
    "tenant": "acme",
    "page_size": 50
  },
  "dev": {
    "host": "https://dev.example.com",
    "debug": true,
    "SSLConfiguration": {"verifyHostCertificate": false},
    "Security": {
      "Auth": {
        "api": {
          "Type": "OAuth2",
          "Grant Type": "Client Credentials",
          "Client ID": "{{client_id}}",
          "Token URL": "{{host}}/oauth/token",
          "Scope": "read write",
          "Client Credentials": "in body",
          "Custom Request Parameters": {"audience": "https://api.example.com", "prompt": {"Value": "login", "Use": "In Auth Request"}}
        },
        "browser": {
          "Type": "OAuth2",
          "Grant Type": "Authorization Code",
          "Auth URL": "https://dev.example.com/authorize",
          "Token URL": "https://dev.example.com/token",
          "Redirect URL": "http://127.0.0.1:8765/callback",
          "Client ID": "spa",
          "PKCE": true
        },
        "old": {
          "Type": "OAuth2",
          "Grant Type": "Implicit",
          "Auth URL": "https://dev.example.com/authorize",
          "Client ID": "legacy"
        },
        "saml": {"Type": "SAML"}
      }
    }
  },
  "prod": {
    "host": "https://example.com"
  }
}
`

const jetbrainsPrivate = `{
  "dev": {
    "client_id": "dev-client",
    "password": "hunter2",
    "host": "https://private-dev.example.com",
    "Security": {"Auth": {"api": {"Client Secret": "s3cret"}}}
  },
  "local": {"host": "http://127.0.0.1:8080"}
}
`

// vscodeEnv is the VS Code REST Client's environments, as they are kept
// in an http-client.env.json: $shared values taken by name, numbers.
const vscodeEnv = `{
  "$shared": {"version": "v1", "prodToken": "foo"},
  "local": {"version": "{{$shared version}}", "port": 8080, "token": "{{$shared prodToken}}"}
}`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadJetBrains(t *testing.T) {
	dir := writeFiles(t, map[string]string{PublicFile: jetbrainsPublic, PrivateFile: jetbrainsPrivate})
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !slices.Equal(got, []string{"dev", "prod", "local"}) {
		t.Errorf("names = %v", got)
	}
	vars, private := s.Vars("dev")
	want := map[string]string{"tenant": "acme", "page_size": "50", "debug": "true", "client_id": "dev-client", "password": "hunter2", "host": "https://private-dev.example.com"}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("vars[%s] = %q, want %q", k, vars[k], v)
		}
	}
	if !private["password"] || !private["host"] || private["tenant"] || private["debug"] {
		t.Errorf("private = %v: only the private file's values are secret", private)
	}
	if vars, _ := s.Vars("prod"); vars["host"] != "https://example.com" || vars["tenant"] != "acme" {
		t.Errorf("prod vars = %v", vars)
	}
	if vars, _ := s.Vars(""); vars["host"] != "" || vars["tenant"] != "acme" {
		t.Errorf("no environment: only $shared, got %v", vars)
	}
	notes := strings.Join(noteTexts(s.Notes()), "\n")
	if !strings.Contains(notes, PublicFile+":9: dev.SSLConfiguration is an object, not a variable") {
		t.Errorf("notes = %s", notes)
	}
}

func TestLoadVSCode(t *testing.T) {
	s, err := Load(writeFiles(t, map[string]string{PublicFile: vscodeEnv}))
	if err != nil {
		t.Fatal(err)
	}
	vars, _ := s.Vars("local")
	if vars["version"] != "v1" || vars["token"] != "foo" || vars["port"] != "8080" {
		t.Errorf("vars = %v", vars)
	}
}

func TestAuthProviders(t *testing.T) {
	s, err := Load(writeFiles(t, map[string]string{PublicFile: jetbrainsPublic, PrivateFile: jetbrainsPrivate}))
	if err != nil {
		t.Fatal(err)
	}
	vars, _ := s.Vars("dev")
	ps, notes := s.Providers("dev", vars)
	if len(ps) != 2 {
		t.Fatalf("providers = %d, want api and browser; notes %v", len(ps), notes)
	}
	api := ps[0]
	if api.Name != "api" || api.Grant != config.GrantClientCredentials || api.ClientID != "dev-client" ||
		api.TokenURL != "https://private-dev.example.com/oauth/token" || api.ClientSecret.Reveal() != "s3cret" ||
		!slices.Equal(api.Scopes, []string{"read", "write"}) || api.ClientAuth != "post" || api.Environment != "dev" {
		t.Errorf("api = %+v", api)
	}
	if api.TokenParams["audience"] != "https://api.example.com" || api.TokenParams["prompt"] != "" {
		t.Errorf("token params = %v: prompt is for the auth request only", api.TokenParams)
	}
	browser := ps[1]
	if browser.Grant != config.GrantAuthorizationCode || browser.RedirectPort != 8765 || browser.AuthURL == "" {
		t.Errorf("browser = %+v", browser)
	}
	text := strings.Join(noteTexts(notes), "\n")
	for _, want := range []string{"Security.Auth.old not used: the Implicit grant", "Security.Auth.saml not used: Type \"SAML\""} {
		if !strings.Contains(text, want) {
			t.Errorf("notes lack %q:\n%s", want, text)
		}
	}
	// prod has no Auth; without the private file dev's api has no
	// {{client_id}}, and says so.
	if ps, _ := s.Providers("prod", nil); len(ps) != 0 {
		t.Errorf("prod providers = %v", ps)
	}
	pub, _ := Load(writeFiles(t, map[string]string{PublicFile: jetbrainsPublic}))
	pv, _ := pub.Vars("dev")
	_, notes = pub.Providers("dev", pv)
	if text := strings.Join(noteTexts(notes), "\n"); !strings.Contains(text, "Client ID uses {{client_id}}, which the environment does not set") {
		t.Errorf("notes = %s", text)
	}
}

func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere.json")
	if err := os.WriteFile(target, []byte(`{"dev": {"token": "x"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, PublicFile)); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if !errors.Is(err, safefile.ErrNotRegular) && (err == nil || !strings.Contains(err.Error(), "symbolic link")) {
		t.Errorf("a link: err = %v, want it refused", err)
	}

	big := writeFiles(t, map[string]string{PublicFile: `{"dev": {"x": "` + strings.Repeat("a", MaxFileSize) + `"}}`})
	_, err = Load(big)
	if err == nil || !strings.Contains(err.Error(), PublicFile) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized: err = %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"syntax", "{\n  \"dev\": {\n    \"a\": 1,\n  }\n}", "f.json:4: not valid JSON"},
		{"not an object", `["dev"]`, "f.json:1: must be a JSON object of environments"},
		{"environment not an object", "{\n\"dev\": \"x\"\n}", `f.json:2: environment "dev" must be an object`},
		{"truncated", `{"dev": {`, "f.json:1: not valid JSON: it ends too soon"},
		{"trailing text", `{} {}`, "f.json:1: text after the end"},
		{"too deep", `{"dev": {"a": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}}`, "nested more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.json", []byte(tc.text), false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestParseAsEditorsWriteIt: a byte order mark (Visual Studio's) and a
// "$schema" key (for the editor's checks) do not stop the file from being
// read.
func TestParseAsEditorsWriteIt(t *testing.T) {
	f, err := Parse("f.json", []byte("\ufeff{\n  \"$schema\": \"./env.schema.json\",\n  \"dev\": {\"baseUrl\": \"http://localhost:5000\"}\n}\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	s := &Set{Public: f}
	if names := s.Names(); !slices.Equal(names, []string{"dev"}) {
		t.Errorf("environments %q, want dev", names)
	}
	if vars, _ := s.Vars("dev"); vars["baseUrl"] != "http://localhost:5000" {
		t.Errorf("dev's vars %v", vars)
	}
	if notes := noteTexts(s.Notes()); len(notes) != 1 || !strings.Contains(notes[0], "f.json:2: $schema") {
		t.Errorf("notes %q, want one for $schema at line 2", notes)
	}
}

func noteTexts(notes []Note) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.String())
	}
	return out
}

// FuzzEnvFile: any bytes are read without a panic, as an env file or an
// *Error naming the file; a file read has no $shared among its names.
func FuzzEnvFile(f *testing.F) {
	for _, seed := range []string{jetbrainsPublic, jetbrainsPrivate, vscodeEnv, `{}`, `{"a": {"Security": {"Auth": {"x": {"Custom Request Parameters": {"p": {"Value": 1}}}}}}}`, `{"dev": [1, {"a": null}]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.json", data, false)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != "f.json" {
				t.Fatalf("err = %v, want an *Error", err)
			}
			return
		}
		s := &Set{Public: file}
		for _, name := range append(s.Names(), "") {
			if name == Shared {
				t.Fatal("$shared listed as an environment")
			}
			vars, _ := s.Vars(name)
			s.Providers(name, vars)
		}
	})
}

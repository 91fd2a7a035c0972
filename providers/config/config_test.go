package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

// designExample is the example from DESIGN.md, "The config file", verbatim.
const designExample = `[settings]
theme = "auto"            # auto | dark | light
redact = true             # mask secrets on screen; ctrl+r toggles
token_cache = "file"      # file | keyring | memory
refresh_before = "30s"    # refresh this long before expiry
max_body = "100MB"        # bodies are cut here, with a note
history = 500             # exchanges kept on disk

[providers.tapkey]
title = "Tapkey"
base_url = "https://my.tapkey.com/api/v1"
grant = "client_credentials"
token_url = "https://login.tapkey.com/connect/token"
client_auth = "basic"
client_id = "${TAPKEY_CLIENT_ID}"
client_secret = "${TAPKEY_CLIENT_SECRET}"
scopes = ["read:owneraccounts", "read:owneraccount:permissions"]

  [[providers.tapkey.requests]]           # saved requests, offered in the composer
  name = "List owners"
  method = "GET"
  path = "/Owners"

[providers.sys303]
base_url = "https://openapi.ocr.sys303.com/api/v1"
grant = "client_credentials"
token_url = "https://openapi.ocr.sys303.com/api/v1/oauth/token"
client_auth = "query"                     # credentials in the URL query, empty body
client_id = "${SYS303_API_KEY}"
client_secret_cmd = "pass show sys303/secret"
token_response = { expires_at = "expires", error = "error_msg" }
inject = { query = "access_token" }

[providers.azurecn]
base_url = "https://api.example.cn"
grant = "client_credentials"
token_url = "https://login.chinacloudapi.cn/${AZURECN_TENANT}/oauth2/v2.0/token"
client_auth = "post"
client_id = "${AZURECN_CLIENT_ID}"
client_secret = "${AZURECN_CLIENT_SECRET}"
scopes = ["${AZURECN_RESOURCE}/.default"]
token_params = { Type = "oauth2" }

[providers.maptable]
base_url = "https://maptable.com/open/api/v1"
grant = "custom"
rate_limit = "60/min"
login = { method = "POST", url = "https://maptable.com/open/api/v1/auth/", json = { appId = "${MAPTABLE_APP_ID}", appSecret = "${MAPTABLE_APP_SECRET}" } }
refresh = { method = "POST", url = "https://maptable.com/open/api/v1/token/refresh/", headers = { Authorization = "{{refresh_token}}" }, json = { refreshtoken = "{{refresh_token}}" } }
token_response = { access_token = "detail.token", refresh_token = "detail.refreshToken", ok = "code == 0", error = "message" }
inject = { header = "Authorization", prefix = "" }

[providers.my-oidc]
base_url = "https://api.example.com"
grant = "authorization_code"
issuer = "https://issuer.example"         # discovery fills auth/token/device/revoke/introspect URLs
client_id = "${MY_CLIENT_ID}"
scopes = ["openid", "offline_access", "api:read"]
auth_params = { prompt = "consent" }
`

func TestParseDesignExample(t *testing.T) {
	cfg, err := Parse("config.toml", []byte(designExample))
	if err != nil {
		t.Fatalf("the DESIGN.md example does not parse: %v", err)
	}
	s := cfg.Settings
	if s.Theme != "auto" || !s.RedactOn() || s.TokenCache != "file" || s.RefreshBefore.Std() != 30*time.Second ||
		int64(s.MaxBody) != 100<<20 || s.History == nil || *s.History != 500 {
		t.Errorf("settings = %+v", s)
	}

	var names []string
	for _, p := range cfg.Providers {
		names = append(names, p.Name)
	}
	if want := []string{"tapkey", "sys303", "azurecn", "maptable", "my-oidc"}; !slices.Equal(names, want) {
		t.Errorf("providers in order %v, want file order %v", names, want)
	}
	wantLines := map[string]int{"tapkey": 9, "sys303": 24, "azurecn": 34, "maptable": 44, "my-oidc": 53}
	for _, p := range cfg.Providers {
		if p.Line != wantLines[p.Name] {
			t.Errorf("%s.Line = %d, want %d", p.Name, p.Line, wantLines[p.Name])
		}
	}

	tk, ok := cfg.Provider("tapkey")
	if !ok {
		t.Fatal("Provider(tapkey) not found")
	}
	if tk.DisplayTitle() != "Tapkey" || tk.ClientAuth != "basic" || tk.ClientID != "${TAPKEY_CLIENT_ID}" ||
		tk.ClientSecret.Reveal() != "${TAPKEY_CLIENT_SECRET}" ||
		!slices.Equal(tk.Scopes, []string{"read:owneraccounts", "read:owneraccount:permissions"}) {
		t.Errorf("tapkey = %+v", tk)
	}
	if len(tk.Requests) != 1 || !reflect.DeepEqual(tk.Requests[0], SavedRequest{Name: "List owners", Method: "GET", Path: "/Owners"}) {
		t.Errorf("tapkey requests = %+v", tk.Requests)
	}

	sys, _ := cfg.Provider("sys303")
	if sys.ClientSecretCmd != "pass show sys303/secret" || !sys.ClientSecret.IsZero() {
		t.Errorf("sys303 secret: cmd %q, secret set %v", sys.ClientSecretCmd, !sys.ClientSecret.IsZero())
	}
	if sys.TokenResponse == nil || sys.TokenResponse.ExpiresAt != "expires" || sys.TokenResponse.Error != "error_msg" {
		t.Errorf("sys303 token_response = %+v", sys.TokenResponse)
	}
	if sys.Inject == nil || sys.Inject.Query != "access_token" || sys.Inject.Prefix != nil {
		t.Errorf("sys303 inject = %+v", sys.Inject)
	}

	az, _ := cfg.Provider("azurecn")
	if az.TokenParams["Type"] != "oauth2" || az.ClientAuth != "post" {
		t.Errorf("azurecn = %+v", az)
	}

	mt, _ := cfg.Provider("maptable")
	if mt.Login == nil || mt.Login.Method != "POST" || mt.Login.JSON["appId"] != "${MAPTABLE_APP_ID}" {
		t.Errorf("maptable login = %+v", mt.Login)
	}
	if mt.Refresh == nil || mt.Refresh.Headers["Authorization"] != "{{refresh_token}}" {
		t.Errorf("maptable refresh = %+v", mt.Refresh)
	}
	if mt.Inject == nil || mt.Inject.Prefix == nil || *mt.Inject.Prefix != "" || mt.Inject.Header != "Authorization" {
		t.Errorf("maptable inject = %+v", mt.Inject)
	}
	if mt.TokenResponse.OK != "code == 0" || mt.RateLimit != "60/min" {
		t.Errorf("maptable = %+v", mt)
	}

	oidc, _ := cfg.Provider("my-oidc")
	if oidc.Issuer != "https://issuer.example" || oidc.AuthParams["prompt"] != "consent" || oidc.TokenURL != "" {
		t.Errorf("my-oidc = %+v", oidc)
	}
	if _, ok := cfg.Provider("nope"); ok {
		t.Error("Provider(nope) found")
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(designExample), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Path != path || len(cfg.Providers) != 5 {
		t.Errorf("Path %q, %d providers", cfg.Path, len(cfg.Providers))
	}

	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[providers.x]\ngrant = \"client_credentials\"\nbase_url = \"https://a\"\ntoken_url = \"https://a/t\"\nbogus = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(bad)
	var ce *Error
	if !errors.As(err, &ce) || ce.File != bad || ce.Line != 5 {
		t.Errorf("LoadFile(bad) = %#v, want a Error at %s:5", err, bad)
	}

	if _, err := LoadFile(filepath.Join(dir, "missing.toml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) = %v, want ErrNotExist", err)
	}
}

func TestParseDefaults(t *testing.T) {
	cfg, err := Parse("", []byte(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Providers) != 0 || !cfg.Settings.RedactOn() {
		t.Errorf("empty config = %+v", cfg)
	}
	off, err := Parse("c.toml", []byte("[settings]\nredact = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if off.Settings.RedactOn() {
		t.Error("redact = false: RedactOn() is true")
	}
}

// provider is a valid client_credentials provider table to build on.
const provider = `[providers.x]
base_url = "https://api.example.com"
grant = "client_credentials"
token_url = "https://login.example.com/token"
`

func TestConfigErrorText(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "c.toml", Line: 3, Key: "providers.x.tokne_url", Msg: "unknown key", Hint: "did you mean token_url?"}, "c.toml:3: providers.x.tokne_url: unknown key (did you mean token_url?)"},
		{Error{File: "c.toml", Msg: "broken"}, "c.toml: broken"},
		{Error{File: "c.toml", Line: 1, Msg: "broken"}, "c.toml:1: broken"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestParseDemoProvidersNeedNoBaseURL(t *testing.T) {
	cfg, err := Parse("c.toml", []byte("[providers.demo-cc]\ngrant = \"client_credentials\"\ntoken_url = \"http://127.0.0.1:1/oauth2/token\"\n"))
	if err != nil {
		t.Fatalf("demo-* without base_url: %v", err)
	}
	if p, _ := cfg.Provider("demo-cc"); p == nil || p.BaseURL != "" {
		t.Errorf("demo-cc = %+v", p)
	}
	// Only the demo- prefix is exempt.
	if _, err := Parse("c.toml", []byte("[providers.mydemo]\ngrant = \"static\"\n")); err == nil {
		t.Error("mydemo without base_url parsed")
	}
}

func TestParseBaseURLWithVariable(t *testing.T) {
	// A base_url made of a ${VAR} is checked when it is resolved, not here.
	if _, err := Parse("c.toml", []byte("[providers.x]\nbase_url = \"${API}\"\ngrant = \"static\"\n")); err != nil {
		t.Fatal(err)
	}
}

func TestParseProviderOrderAndLines(t *testing.T) {
	text := `# comment
[settings]
theme = "dark"

[providers.zeta]   # last alphabetically, first in the file
base_url = "https://z"
grant = "static"

[ providers.alpha ]
base_url = "https://a"
grant = "static"

[providers."dotted.name"]
base_url = "https://d"
grant = "static"

[providers.mid]
base_url = "https://m"
grant = "static"

  [[providers.mid.requests]]
  path = "/x"

[providers.beta]
base_url = "https://b"
grant = "static"
`
	cfg, err := Parse("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	lines := map[string]int{}
	for _, p := range cfg.Providers {
		got = append(got, p.Name)
		lines[p.Name] = p.Line
	}
	if want := []string{"zeta", "alpha", "dotted.name", "mid", "beta"}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	if want := map[string]int{"zeta": 5, "alpha": 9, "dotted.name": 13, "mid": 17, "beta": 24}; !maps.Equal(lines, want) {
		t.Errorf("lines = %v, want %v", lines, want)
	}
}

func TestParseProvidersAsDottedKeysAndInlineTables(t *testing.T) {
	text := `[providers]
b = { base_url = "https://b", grant = "static" }
a.base_url = "https://a"
a.grant = "static"
`
	cfg, err := Parse("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Providers) != 2 {
		t.Fatalf("%d providers, want 2", len(cfg.Providers))
	}
	for _, p := range cfg.Providers {
		if p.Name == "" || p.Line == 0 {
			t.Errorf("provider %+v has no name or line", p)
		}
	}
	if b, _ := cfg.Provider("b"); b == nil || b.Line != 2 {
		t.Errorf("b = %+v, want line 2", b)
	}
	if a, _ := cfg.Provider("a"); a == nil || a.Line != 3 {
		t.Errorf("a = %+v, want line 3", a)
	}
}

func TestDurationAndSize(t *testing.T) {
	durations := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30s", 30 * time.Second, true},
		{"1h30m", 90 * time.Minute, true},
		{"0s", 0, true},
		{"-1s", 0, false},
		{"30", 0, false},
		{"", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range durations {
		var d Duration
		err := d.UnmarshalText([]byte(tt.in))
		if (err == nil) != tt.ok || (tt.ok && d.Std() != tt.want) {
			t.Errorf("Duration(%q) = %v, %v; want %v, ok=%v", tt.in, d.Std(), err, tt.want, tt.ok)
		}
	}
	sizes := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"100MB", 100 << 20, true},
		{"512KB", 512 << 10, true},
		{"1GiB", 1 << 30, true},
		{"2 mib", 2 << 20, true},
		{"10", 10, true},
		{"10B", 10, true},
		{"0", 0, true},
		{"1.5MB", 0, false},
		{"-1", 0, false},
		{"MB", 0, false},
		{"", 0, false},
		{"10TB", 0, false},
		{"4294967297GB", 0, false}, // overflows int64 after 2^62
	}
	for _, tt := range sizes {
		var s Size
		err := s.UnmarshalText([]byte(tt.in))
		if (err == nil) != tt.ok || (tt.ok && int64(s) != tt.want) {
			t.Errorf("Size(%q) = %d, %v; want %d, ok=%v", tt.in, s, err, tt.want, tt.ok)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		got        string
		candidates []string
		want       string
	}{
		{"tokne_url", []string{"token_url", "auth_url"}, "did you mean token_url?"},
		{"TOKEN_URL", []string{"token_url"}, "did you mean token_url?"},
		{"xyz", []string{"token_url", "auth_url"}, ""},
		{"a", nil, ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.got, tt.candidates); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.got, got, tt.want)
		}
	}
}

// FuzzParse: configuration text is outside bytes; Parse must return a
// config or an error, never panic.
func FuzzParse(f *testing.F) {
	f.Add(designExample)
	f.Add(provider + "tokne_url = 1\n")
	f.Add("[providers.x]\ninject = { prefx = 1 }\n")
	f.Add("providers = 5\n")
	f.Add("[providers.\"a.b\"]\n[[providers.\"a.b\".requests]]\npaht = 1\n")
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := Parse("f.toml", []byte(text))
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Parse = %v, %v: want exactly one", cfg, err)
		}
		var ce *Error
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("Parse error %T is not a *Error: %v", err, err)
		}
	})
}

func TestParseNestedJSONBody(t *testing.T) {
	// A custom login body is the user's own JSON: nested objects and
	// arrays of objects are not config keys to check.
	text := provider + `login = { method = "POST", url = "https://a/login", json = { user = { id = 1, roles = ["a"] }, list = [{ k = "v" }] } }
refresh = { method = "POST", url = "https://a/refresh", json = { deep = { deeper = { x = "{{refresh_token}}" } } } }
`
	cfg, err := Parse("c.toml", []byte(text))
	if err != nil {
		t.Fatalf("nested JSON body: %v", err)
	}
	if got := fmt.Sprint(cfg.Providers[0].Login.JSON["user"]); got != "map[id:1 roles:[a]]" {
		t.Errorf("login.json.user = %s", got)
	}
	// ...but a misspelt key of the login table itself is still caught.
	_, err = Parse("c.toml", []byte(provider+`login = { method = "POST", url = "https://a", jsno = { a = 1 } }`+"\n"))
	var ce *Error
	if !errors.As(err, &ce) || ce.Key != "providers.x.login.jsno" || ce.Hint != "did you mean json?" {
		t.Errorf("login.jsno: %v", err)
	}
}

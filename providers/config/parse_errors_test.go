package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		line     int
		key      string
		msg      string // substring of Msg
		hint     string // substring of Hint; "" means not checked
		noHintOf string // Hint must not contain this
	}{
		{name: "unknown top-level key", text: "thme = \"dark\"\n" + config.ProviderHead, line: 1, key: "thme", msg: "unknown key", hint: "allowed: settings, providers"},
		{name: "unknown settings key", text: "[settings]\ntheme = \"dark\"\nredcat = true\n", line: 3, key: "settings.redcat", msg: "unknown key", hint: "did you mean redact?"},
		{name: "unknown provider key", text: config.ProviderHead + "tokne_url = \"https://x\"\n", line: 5, key: "providers.x.tokne_url", msg: "unknown key", hint: "did you mean token_url?"},
		{name: "unknown provider key, far from any", text: config.ProviderHead + "zzzzzzzzzz = 1\n", line: 5, key: "providers.x.zzzzzzzzzz", msg: "unknown key", noHintOf: "did you mean"},
		{name: "unknown key in token_response", text: config.ProviderHead + "token_response = { expires_at = \"expires\", eror = \"error_msg\" }\n", line: 5, key: "providers.x.token_response.eror", msg: "unknown key", hint: "did you mean error?"},
		{name: "unknown key in inject", text: config.ProviderHead + "inject = { header = \"X-Token\", prefx = \"\" }\n", line: 5, key: "providers.x.inject.prefx", msg: "unknown key", hint: "did you mean prefix?"},
		{name: "unknown key in login", text: config.ProviderHead + "login = { method = \"POST\", ulr = \"https://x\" }\n", line: 5, key: "providers.x.login.ulr", msg: "unknown key", hint: "did you mean url?"},
		{name: "unknown key in saved request", text: config.ProviderHead + "\n[[providers.x.requests]]\nname = \"a\"\npath = \"/a\"\n\n[[providers.x.requests]]\nname = \"b\"\npaht = \"/b\"\n", line: 12, key: "providers.x.requests.paht", msg: "unknown key", hint: "did you mean path?"},
		{name: "unknown key in a second provider", text: config.ProviderHead + "\n[providers.y]\nbase_url = \"https://y\"\ngrant = \"client_credentials\"\ntoken_url = \"https://y/t\"\nclient_scret = \"s\"\n", line: 10, key: "providers.y.client_scret", msg: "unknown key", hint: "did you mean client_secret?"},
		{name: "unknown key as dotted key", text: "providers.x.base_url = \"https://a\"\nproviders.x.grant = \"client_credentials\"\nproviders.x.token_url = \"https://a/t\"\nproviders.x.isuser = \"https://i\"\n", line: 4, key: "providers.x.isuser", msg: "unknown key", hint: "did you mean issuer?"},

		{name: "scopes not an array", text: config.ProviderHead + "scopes = \"x\"\n", line: 5, key: "providers.x.scopes", msg: "want an array, got a string"},
		{name: "redirect_port a string", text: config.ProviderHead + "redirect_port = \"a\"\n", line: 5, key: "providers.x.redirect_port", msg: "want an integer, got a string"},
		{name: "title a number", text: config.ProviderHead + "title = 5\n", line: 5, key: "providers.x.title", msg: "want a string, got an integer", hint: "quote"},
		{name: "redact a string", text: "[settings]\nredact = \"yes\"\n", line: 2, key: "settings.redact", msg: "want true or false"},
		{name: "inject header a number", text: config.ProviderHead + "inject = { header = 5 }\n", line: 5, key: "providers.x.inject.header", msg: "wrong type"},
		{name: "saved request path a number", text: config.ProviderHead + "[[providers.x.requests]]\npath = 5\n", line: 6, key: "providers.x.requests.path", msg: "wrong type"},
		{name: "provider not a table", text: "[providers]\nx = 5\n", line: 2, key: "providers.x", msg: "want a table, got an integer"},
		{name: "providers not a table", text: "providers = 5\n", line: 1, key: "providers", msg: "must be a table"},
		{name: "providers an array", text: "providers = [1]\n", line: 1, key: "providers", msg: "must be a table"},

		{name: "timeout an integer", text: config.ProviderHead + "timeout = 5\n", line: 5, key: "providers.x.timeout", msg: "not a duration"},
		{name: "timeout bad unit", text: config.ProviderHead + "timeout = \"5 parsecs\"\n", line: 5, key: "providers.x.timeout", msg: "not a duration"},
		{name: "negative duration", text: "[settings]\nrefresh_before = \"-5s\"\n", line: 2, key: "settings.refresh_before", msg: "must not be negative"},
		{name: "token_lifetime bad", text: config.ProviderHead + "token_lifetime = \"8 hours\"\n", line: 5, key: "providers.x.token_lifetime", msg: "not a duration"},
		{name: "max_body bad", text: "[settings]\nmax_body = \"lots\"\n", line: 2, key: "settings.max_body", msg: "not a size"},
		{name: "max_body negative", text: "[settings]\nmax_body = \"-1MB\"\n", line: 2, key: "settings.max_body", msg: "not a size"},
		{name: "max_body fraction", text: "[settings]\nmax_body = \"1.5MB\"\n", line: 2, key: "settings.max_body", msg: "not a size"},
		{name: "max_body overflow", text: "[settings]\nmax_body = \"99999999999GB\"\n", line: 2, key: "settings.max_body", msg: "not a size"},
		{name: "syntax error", text: config.ProviderHead + "grant = \n", line: 5, msg: "expected value"},

		{name: "unknown theme", text: "[settings]\ntheme = \"blue\"\n", line: 2, key: "settings.theme", msg: "unknown theme", hint: "auto, dark, light"},
		{name: "unknown token cache", text: "[settings]\ntoken_cache = \"disk\"\n", line: 2, key: "settings.token_cache", msg: "unknown token cache"},
		{name: "negative history", text: "[settings]\nhistory = -1\n", line: 2, key: "settings.history", msg: "must not be negative"},
		{name: "missing grant", text: "[providers.x]\nbase_url = \"https://a\"\n", line: 1, key: "providers.x", msg: "missing required key grant", hint: "client_credentials"},
		{name: "unknown grant", text: "[providers.x]\nbase_url = \"https://a\"\ngrant = \"client_credential\"\n", line: 3, key: "providers.x.grant", msg: `unknown grant "client_credential"`, hint: "did you mean client_credentials?"},
		{name: "missing base_url", text: "\n[providers.x]\ngrant = \"static\"\n", line: 2, key: "providers.x", msg: "missing required key base_url"},
		{name: "base_url not absolute", text: "[providers.x]\nbase_url = \"api.example.com\"\ngrant = \"static\"\n", line: 2, key: "providers.x.base_url", msg: "not an absolute URL"},
		{name: "unknown client_auth", text: config.ProviderHead + "client_auth = \"header\"\n", line: 5, key: "providers.x.client_auth", msg: "unknown client_auth", hint: "basic_raw"},
		{name: "both secrets", text: config.ProviderHead + "client_secret = \"s\"\nclient_secret_cmd = \"pass show x\"\n", line: 6, key: "providers.x.client_secret_cmd", msg: "both client_secret and client_secret_cmd"},
		{name: "client_credentials without token_url", text: "[providers.x]\nbase_url = \"https://a\"\ngrant = \"client_credentials\"\n", line: 1, key: "providers.x", msg: "needs token_url or issuer"},
		{name: "redirect_port out of range", text: config.ProviderHead + "redirect_port = 70000\n", line: 5, key: "providers.x.redirect_port", msg: "between 0 and 65535"},
		{name: "inject both", text: config.ProviderHead + "inject = { query = \"access_token\", header = \"X\" }\n", line: 5, key: "providers.x.inject", msg: "query and header/prefix both set"},
		{name: "second saved request without path", text: config.ProviderHead + "[[providers.x.requests]]\npath = \"/a\"\n\n[[providers.x.requests]] # two\nname = \"b\"\n", line: 8, key: "providers.x.requests", msg: "saved request 2 has no path"},
		{name: "saved request without path", text: config.ProviderHead + "[[providers.x.requests]]\nname = \"a\"\n", line: 5, key: "providers.x.requests", msg: "saved request 1 has no path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse("keyhole.toml", []byte(tt.text))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse = %v, %v; want a *config.Error", cfg, err)
			}
			if ce.File != "keyhole.toml" {
				t.Errorf("File = %q", ce.File)
			}
			if ce.Line != tt.line {
				t.Errorf("Line = %d, want %d (%v)", ce.Line, tt.line, ce)
			}
			if tt.key != "" && ce.Key != tt.key {
				t.Errorf("Key = %q, want %q", ce.Key, tt.key)
			}
			if !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("Msg = %q, want it to contain %q", ce.Msg, tt.msg)
			}
			if tt.hint != "" && !strings.Contains(ce.Hint, tt.hint) {
				t.Errorf("Hint = %q, want it to contain %q", ce.Hint, tt.hint)
			}
			if tt.noHintOf != "" && strings.Contains(ce.Hint, tt.noHintOf) {
				t.Errorf("Hint = %q, must not contain %q", ce.Hint, tt.noHintOf)
			}
			if providers.Hint(err) != ce.Hint {
				t.Errorf("providers.Hint(err) = %q, want %q", providers.Hint(err), ce.Hint)
			}
			// The error text leads with file:line so editors can jump to it.
			if prefix := "keyhole.toml:"; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Error() = %q, want prefix %q", err.Error(), prefix)
			}
		})
	}
}

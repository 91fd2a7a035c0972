package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/tomltext"
)

// Every URL key takes only an absolute http(s) URL with a host; anything
// else is a Error with the file, the line and the key.
func TestParseRefusesURLsThatAreNone(t *testing.T) {
	bad := []struct{ value, msg string }{
		{"javascript://alert(1)", "javascript: is not http or https"},
		{"file:///etc/passwd", "file: is not http or https"},
		{"not a url", "not an absolute URL"},
		{"/oauth2/token", "not an absolute URL"},
		{"https://", "no host"},
		{"https://:443/x", "no host"},
		{"ftp://files.example.com/", "ftp: is not http or https"},
		{"https://exa mple.com/", "not a URL"},
		{"http://\x1b]52;c;x\x07/", "not a URL"},
	}
	keys := []struct {
		key, text string // text with %s for the value, on line 5
	}{
		{"providers.x.base_url", "base_url = %s\n"},
		{"providers.x.issuer", "issuer = %s\n"},
		{"providers.x.token_url", "token_url = %s\n"},
		{"providers.x.auth_url", "auth_url = %s\n"},
		{"providers.x.device_url", "device_url = %s\n"},
		{"providers.x.revoke_url", "revoke_url = %s\n"},
		{"providers.x.introspect_url", "introspect_url = %s\n"},
		{"providers.x.login.url", "login = { method = \"POST\", url = %s }\n"},
		{"providers.x.refresh.url", "refresh = { url = %s }\n"},
	}
	for _, k := range keys {
		for _, b := range bad {
			t.Run(k.key+" "+b.value, func(t *testing.T) {
				// The key under test comes last, overriding the valid
				// base_url and token_url only where it is one of them.
				head := "[providers.x]\ngrant = \"client_credentials\"\n"
				if k.key != "providers.x.base_url" {
					head += "base_url = \"https://api.example.com\"\n"
				} else {
					head += "title = \"x\"\n"
				}
				if k.key != "providers.x.token_url" {
					head += "token_url = \"https://login.example.com/token\"\n"
				} else {
					head += "audience = \"api\"\n"
				}
				text := head + strings.Replace(k.text, "%s", tomltext.Quote(b.value), 1)
				_, err := Parse("keyhole.toml", []byte(text))
				var ce *Error
				if !errors.As(err, &ce) {
					t.Fatalf("Parse accepted %s = %q: %v", k.key, b.value, err)
				}
				if ce.File != "keyhole.toml" || ce.Line != 5 || ce.Key != k.key || !strings.Contains(ce.Msg, b.msg) || !strings.Contains(ce.Hint, "https://") {
					t.Errorf("error %+v; want keyhole.toml:5, key %s, a message with %q and a hint", ce, k.key, b.msg)
				}
				if strings.ContainsRune(err.Error(), 0x1b) {
					t.Errorf("the error carries an escape byte: %q", err.Error())
				}
			})
		}
	}
}

// Good URLs, ${VAR}s and {{templates}} pass at parse time; the example
// config and the built-in demo's stay valid (tested where they live).
func TestParseAcceptsURLs(t *testing.T) {
	text := `[providers.x]
base_url = "http://127.0.0.1:8080/api"
grant = "custom"
issuer = "https://issuer.example"
token_url = "https://login.chinacloudapi.cn/${TENANT}/oauth2/v2.0/token"
auth_url = "${AUTH}"
login = { url = "{{base}}/login" }
refresh = { url = "HTTPS://Example.COM/refresh" }
vars = { base = "https://example.com" }
`
	if _, err := Parse("keyhole.toml", []byte(text)); err != nil {
		t.Fatal(err)
	}
}

// A ${VAR} that makes a URL key no URL is found by Resolve, with the
// file, line and key; so is a secret a set but empty ${VAR} leaves empty.
func TestResolveChecksWhatVarsBecame(t *testing.T) {
	text := `[providers.x]
base_url = "${BASE}"
grant = "password"
token_url = "https://${HOST}/${TENANT}/token"
client_id = "cli"
client_secret = "${SECRET}"
username = "ann"
password = "${PW1}${PW2}"
refresh_token = "${RT}"
login = { url = "${LOGIN}" }
`
	cfg, err := Parse("keyhole.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Providers[0]
	good := map[string]string{"BASE": "https://api.example.com", "HOST": "login.example.com", "TENANT": "t1", "SECRET": "s3cr3t", "PW1": "a", "PW2": "", "RT": "rt-1", "LOGIN": "https://example.com/login"}
	if _, err := p.Resolve(mapEnv(good)); err != nil {
		t.Fatalf("Resolve with good values: %v", err)
	}
	cases := []struct {
		name      string
		set       map[string]string
		line      int
		key, want string
	}{
		{"empty client secret", map[string]string{"SECRET": ""}, 6, "providers.x.client_secret", "${SECRET} is set but empty"},
		{"empty password", map[string]string{"PW1": "", "PW2": ""}, 8, "providers.x.password", "${PW1}, ${PW2} are set but empty"},
		{"empty refresh token", map[string]string{"RT": ""}, 9, "providers.x.refresh_token", "${RT} is set but empty"},
		{"base_url javascript", map[string]string{"BASE": "javascript://alert(1)"}, 2, "providers.x.base_url", "javascript: is not http or https"},
		{"base_url empty", map[string]string{"BASE": ""}, 2, "providers.x.base_url", "not an absolute URL"},
		{"token_url with no host", map[string]string{"HOST": ""}, 4, "providers.x.token_url", "with ${HOST}, ${TENANT} expanded: no host"},
		{"base_url relative", map[string]string{"BASE": "api.example.com"}, 2, "providers.x.base_url", "not an absolute URL"},
		{"login.url a file", map[string]string{"LOGIN": "file:///etc/passwd"}, 10, "providers.x.login.url", "file: is not http or https"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range good {
				env[k] = v
			}
			for k, v := range c.set {
				env[k] = v
			}
			_, err := p.Resolve(mapEnv(env))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Resolve = %v; want a Error", err)
			}
			if ce.File != "keyhole.toml" || ce.Line != c.line || ce.Key != c.key || !strings.Contains(ce.Msg, c.want) {
				t.Errorf("error %q; want keyhole.toml:%d, %s, %q", err, c.line, c.key, c.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error holds a secret: %v", err)
			}
		})
	}
}

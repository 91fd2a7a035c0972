package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// What is secret in an exchange's values: the parts of a credential
// header, the values of credential parameters and JSON fields. A Redactor
// given them (AddFound) masks them wherever they turn up again — a server
// echoing the request, a token response, an error message.

// AddFound adds secrets found in an exchange, each also as it reads once
// escaped into a JSON string: a JSON body echoed inside another JSON string
// escapes it twice, and Add knows only the once-escaped form.
func (r *Redactor) AddFound(values ...string) {
	var add []String
	for _, v := range values {
		add = append(add, New(v))
		if b, err := json.Marshal(v); err == nil && string(b[1:len(b)-1]) != v {
			add = append(add, New(string(b[1:len(b)-1])))
		}
	}
	r.Add(add...)
}

// CredentialParts are the secret pieces of a credential header's value:
// the whole, what follows the scheme, a Basic pair decoded and its
// password, and each cookie's value.
func CredentialParts(v string) []string {
	out := []string{v}
	if scheme, rest, ok := SplitScheme(v); ok {
		rest = strings.TrimSpace(rest)
		out = append(out, rest)
		if strings.EqualFold(scheme, "Basic") {
			if raw, err := base64.StdEncoding.DecodeString(rest); err == nil {
				_, pw, _ := strings.Cut(string(raw), ":")
				out = append(out, string(raw), pw)
			}
		}
	}
	for _, pair := range strings.Split(v, ";") {
		if _, value, ok := strings.Cut(pair, "="); ok {
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
}

// ParamValues returns the values of the credential parameters of a query
// or form body (and of param, the one a token rides in; "" for none), as
// written and decoded.
func ParamValues(q, param string) []string {
	var out []string
	for _, part := range strings.Split(q, "&") {
		name, hasValue := ParamName(part)
		if !hasValue || !(SensitiveParam(name) || param != "" && name == param) {
			continue
		}
		_, raw, _ := strings.Cut(part, "=")
		out = append(out, raw)
		if v, err := url.QueryUnescape(raw); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// JSONValues returns the string values of credential fields (SensitiveField:
// client_secret, access_token, password...) anywhere in a JSON body,
// decoded. A body that is not JSON, or larger than 4 MiB, gives none.
func JSONValues(body []byte) []string {
	t := bytes.TrimSpace(body)
	if len(t) == 0 || len(t) > 4<<20 || (t[0] != '{' && t[0] != '[') {
		return nil
	}
	var v any
	if json.Unmarshal(t, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && SensitiveField(k) {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

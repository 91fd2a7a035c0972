package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/tidwall/gjson"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/vars"
	"github.com/keyhole-sh/keyhole/internal/safefile"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// A request saved with S keeps no secret in the .http file, which teams
// commit: a credential header, query parameter, form field or JSON field
// is written as a {{variable}} named after it (Authorization →
// {{authorization}}, X-Api-Key → {{x_api_key}}, "password" →
// {{password}}), and its value goes into http-client.private.env.json
// beside the file, which both tools read and nobody commits.

// lifted is a secret taken out of a request: the variable it becomes and
// its value.
type lifted struct {
	name, value string
}

// placeholder stands where the i-th lifted secret was until its
// variable's final name is known (a name the private file already uses
// for another value gets a suffix).
func placeholder(i int) string { return fmt.Sprintf("\x00secret%d\x00", i) }

// lift replaces the secrets of req by placeholders. A value that already
// holds a {{…}} is left alone: it is a variable, or a token keyhole puts
// in at send.
func lift(req httpfile.Request) (httpfile.Request, []lifted) {
	var found []lifted
	take := func(name, value string) string {
		if value == "" || hasRefs(value) {
			return value
		}
		name = varName(name)
		for i, f := range found {
			if f.name == name && f.value == value {
				return placeholder(i)
			}
		}
		found = append(found, lifted{name: name, value: value})
		return placeholder(len(found) - 1)
	}
	out := req
	out.Headers = append([]httpfile.Header(nil), req.Headers...)
	// A body is a form when it says so, or when it says nothing and is
	// not JSON: keyhole sends it as one then (exchange.SniffContentType).
	form, typed := false, false
	for i, h := range out.Headers {
		if secret.SensitiveHeader(h.Name) {
			out.Headers[i].Value = take(h.Name, h.Value)
		}
		if strings.EqualFold(h.Name, "Content-Type") {
			typed = true
			form = strings.Contains(strings.ToLower(h.Value), "x-www-form-urlencoded")
		}
	}
	form = form || !typed
	out.URL = liftUserinfo(out.URL, take)
	if base, query, ok := strings.Cut(out.URL, "?"); ok {
		out.URL = base + "?" + liftPairs(query, take)
	}
	if len(out.Body) == 1 && out.Body[0].File == "" {
		part := out.Body[0]
		switch text := part.Text; {
		case gjson.Valid(text):
			part.Text = liftJSON(text, take)
		case form:
			part.Text = liftPairs(text, take)
		}
		out.Body = []httpfile.BodyPart{part}
	}
	return out, found
}

// liftUserinfo lifts the password of a URL's user:password@ as written
// (https://ann:{{url_password}}@api.example.com/): like a Basic
// Authorization, it is a credential.
func liftUserinfo(u string, take func(name, value string) string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return u
	}
	user, pass, ok := strings.Cut(authority[:at], ":")
	if !ok || pass == "" {
		return u
	}
	return scheme + "://" + user + ":" + take("url_password", pass) + rest[at:]
}

// liftPairs lifts the credential parameters of name=value pairs.
func liftPairs(pairs string, take func(name, value string) string) string {
	parts := strings.Split(pairs, "&")
	for i, p := range parts {
		name, value, ok := strings.Cut(p, "=")
		if ok && secret.SensitiveParam(name) {
			parts[i] = name + "=" + take(name, value)
		}
	}
	return strings.Join(parts, "&")
}

// liftJSON lifts the string values of credential fields, at any depth,
// keeping the rest of the text as it was typed.
func liftJSON(text string, take func(name, value string) string) string {
	type spot struct {
		at, end int
		with    string
	}
	var spots []spot
	var walk func(r gjson.Result)
	walk = func(r gjson.Result) {
		r.ForEach(func(k, v gjson.Result) bool {
			switch {
			case v.IsObject() || v.IsArray():
				walk(v)
			case v.Type == gjson.String && k.Type == gjson.String && secret.SensitiveField(k.String()):
				end := v.Index + len(v.Raw)
				if v.Index > 0 && end <= len(text) && text[v.Index:end] == v.Raw {
					with := take(k.String(), v.String())
					if with != v.String() {
						spots = append(spots, spot{at: v.Index, end: end, with: `"` + with + `"`})
					}
				}
			}
			return true
		})
	}
	walk(gjson.Parse(text))
	for i := len(spots) - 1; i >= 0; i-- {
		s := spots[i]
		text = text[:s.at] + s.with + text[s.end:]
	}
	return text
}

func hasRefs(text string) bool {
	refs, err := vars.Scan(text)
	return err != nil || len(refs) > 0
}

// varName is a header's or field's name as a variable: lower case, with
// _ for what is not a letter or a digit.
func varName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "secret"
	}
	return b.String()
}

// renameLifted puts each secret's variable where its placeholder stands.
func renameLifted(req httpfile.Request, found []lifted, names []string) httpfile.Request {
	put := func(s string) string {
		for i := range found {
			s = strings.ReplaceAll(s, placeholder(i), "{{"+names[i]+"}}")
		}
		return s
	}
	req.URL = put(req.URL)
	for i := range req.Headers {
		req.Headers[i].Value = put(req.Headers[i].Value)
	}
	body := append([]httpfile.BodyPart(nil), req.Body...)
	for i := range body {
		body[i].Text = put(body[i].Text)
	}
	req.Body = body
	return req
}

// member is one key of a JSON object, its value as written.
type member struct {
	key string
	raw json.RawMessage
}

// storeSecrets writes the secrets into the private env file at path,
// under the environment env: created 0600 if missing, else merged, every
// environment and value it held kept (a name it already uses for another
// value makes a new one, name_2). It returns the variables' names. The
// file is replaced whole (safefile.WritePrivate: atomic, 0600), and a
// link at its place is refused, not followed.
func storeSecrets(path, env string, found []lifted) ([]string, error) {
	data, err := readPrivate(path)
	if err != nil {
		return nil, err
	}
	top := []member{}
	if len(bytes.TrimSpace(data)) > 0 {
		if top, err = objectMembers(data); err != nil {
			return nil, fmt.Errorf("%s: %w; keyhole changes it only when it is a JSON object", path, err)
		}
	}
	envAt := -1
	vals := []member{}
	for i, mb := range top {
		if mb.key == env {
			envAt = i
			if vals, err = objectMembers(mb.raw); err != nil {
				return nil, fmt.Errorf("%s: environment %q: %w", path, env, err)
			}
		}
	}
	names := make([]string, len(found))
	for i, f := range found {
		want, _ := json.Marshal(f.value)
		for n := 1; ; n++ {
			name := f.name
			if n > 1 {
				name = fmt.Sprintf("%s_%d", f.name, n)
			}
			at := -1
			for j, v := range vals {
				if v.key == name {
					at = j
				}
			}
			if at < 0 {
				vals = append(vals, member{key: name, raw: want})
				names[i] = name
				break
			}
			var have string
			if json.Unmarshal(vals[at].raw, &have) == nil && have == f.value {
				names[i] = name
				break
			}
		}
	}
	envRaw := writeObject(vals, "")
	if envAt < 0 {
		top = append(top, member{key: env, raw: envRaw})
	} else {
		top[envAt].raw = envRaw
	}
	out := writeObject(top, "")
	if err := safefile.WritePrivate(path, append(out, '\n')); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return names, nil
}

// readPrivate reads the private env file, without following a link; a
// missing file is empty.
func readPrivate(path string) ([]byte, error) {
	f, err := safefile.Open(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, collenv.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > collenv.MaxFileSize {
		return nil, fmt.Errorf("read %s: larger than %d KiB", path, collenv.MaxFileSize>>10)
	}
	return data, nil
}

// objectMembers reads a JSON object's members in their order, each value
// as written.
func objectMembers(data []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var out []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		out = append(out, member{key: key, raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON object")
	}
	return out, nil
}

// writeObject writes members as an indented JSON object whose lines
// start with prefix (its own first line aside).
func writeObject(ms []member, prefix string) []byte {
	var b bytes.Buffer
	if len(ms) == 0 {
		return []byte("{}")
	}
	b.WriteString("{\n")
	for i, mb := range ms {
		key, _ := json.Marshal(mb.key)
		b.WriteString(prefix + "  ")
		b.Write(key)
		b.WriteString(": ")
		var v bytes.Buffer
		if err := json.Indent(&v, mb.raw, prefix+"  ", "  "); err != nil {
			v.Reset()
			v.Write(mb.raw)
		}
		b.Write(v.Bytes())
		if i < len(ms)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(prefix + "}")
	return b.Bytes()
}

// The checks of each JSON Schema keyword family: types, objects, arrays,
// strings and their formats, numbers.

package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// checkType checks type (a name, or 3.1's list of names) and 3.0's
// nullable.
func (vs *validator) checkType(v any, schema keywords, path string) {
	t := schema.Get("type")
	if !t.Exists() {
		return
	}
	var names []string
	if t.IsArray() {
		for _, n := range t.Array() {
			names = append(names, n.String())
		}
	} else {
		names = []string{t.String()}
	}
	if v == nil && schema.Get("nullable").Bool() {
		return
	}
	for _, n := range names {
		if isType(v, n) {
			return
		}
	}
	vs.add(path, "type", fmt.Sprintf("%s where the spec says %s", kind(v), strings.Join(names, " or ")))
}

func isType(v any, name string) bool {
	switch x := v.(type) {
	case nil:
		return name == "null"
	case bool:
		return name == "boolean"
	case string:
		return name == "string"
	case map[string]any:
		return name == "object"
	case []any:
		return name == "array"
	case json.Number:
		if name == "number" {
			return true
		}
		if name == "integer" {
			if _, err := x.Int64(); err == nil {
				return true
			}
			f, err := x.Float64()
			return err == nil && f == math.Trunc(f) && !math.IsInf(f, 0)
		}
	}
	return false
}

// kind names a value's JSON type for a message.
func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case json.Number:
		if isType(x, "integer") {
			return "an integer"
		}
		return "a number"
	}
	return "a value"
}

func (vs *validator) checkObject(obj map[string]any, schema keywords, path string, root gjson.Result, depth int, stack *frame) {
	for _, r := range schema.Get("required").Array() {
		if _, ok := obj[r.String()]; !ok {
			vs.add(path, "required", fmt.Sprintf("%q is missing", r.String()))
		}
	}
	props := schema.Get("properties")
	patterns := schema.Get("patternProperties")
	addl := schema.Get("additionalProperties")
	// The body's keys in order, so findings come in the same order every
	// time.
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		kp := path + pathKey(k)
		known := false
		if p, ok := vs.keywords(props)[k]; props.IsObject() && ok {
			known = true
			vs.check(obj[k], p, kp, root, depth+1, stack)
		}
		if patterns.IsObject() {
			patterns.ForEach(func(pat, sub gjson.Result) bool {
				if re := vs.compile(pat.String(), path); re != nil && re.MatchString(k) {
					known = true
					vs.check(obj[k], sub, kp, root, depth+1, stack)
				}
				return !vs.full
			})
		}
		if !known && addl.Exists() {
			if addl.Type == gjson.False {
				vs.add(kp, "additionalProperties", "not a property the spec lists")
			} else {
				vs.check(obj[k], addl, kp, root, depth+1, stack)
			}
		}
		if vs.full {
			return
		}
	}
}

// pathKey is one step of a JSON path: .name, or ["odd name"].
func pathKey(k string) string {
	ok := k != ""
	for i, c := range k {
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			ok = false
			break
		}
	}
	if ok {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

func (vs *validator) checkArray(arr []any, schema keywords, path string, root gjson.Result, depth int, stack *frame) {
	if n := schema.Get("minItems"); n.Exists() && float64(len(arr)) < n.Float() {
		vs.add(path, "minItems", fmt.Sprintf("%d items, fewer than %s", len(arr), n.Raw))
	}
	if n := schema.Get("maxItems"); n.Exists() && float64(len(arr)) > n.Float() {
		vs.add(path, "maxItems", fmt.Sprintf("%d items, more than %s", len(arr), n.Raw))
	}
	if schema.Get("uniqueItems").Bool() {
	outer:
		for i := range arr {
			for j := 0; j < i; j++ {
				if equalJSON(arr[i], arr[j]) {
					vs.add(path, "uniqueItems", fmt.Sprintf("items %d and %d are equal", j, i))
					break outer
				}
			}
		}
	}
	prefix := schema.Get("prefixItems").Array()
	items := schema.Get("items")
	for i, e := range arr {
		ip := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case i < len(prefix):
			vs.check(e, prefix[i], ip, root, depth+1, stack)
		case items.Exists():
			vs.check(e, items, ip, root, depth+1, stack)
		}
		if vs.full {
			return
		}
	}
}

func (vs *validator) checkString(s string, schema keywords, path string) {
	n := utf8.RuneCountInString(s)
	if m := schema.Get("minLength"); m.Exists() && float64(n) < m.Float() {
		vs.add(path, "minLength", fmt.Sprintf("%s is %d characters, fewer than %s", vs.quote(s), n, m.Raw))
	}
	if m := schema.Get("maxLength"); m.Exists() && float64(n) > m.Float() {
		vs.add(path, "maxLength", fmt.Sprintf("%s is %d characters, more than %s", vs.quote(s), n, m.Raw))
	}
	if p := schema.Get("pattern"); p.Type == gjson.String {
		if re := vs.compile(p.Str, path); re != nil && !re.MatchString(s) {
			vs.add(path, "pattern", fmt.Sprintf("%s does not match %s", vs.quote(s), cut(strconv.Quote(p.Str))))
		}
	}
	if f := schema.Get("format"); f.Type == gjson.String {
		ok, known := checkFormat(f.Str, s)
		if !known {
			vs.formats[f.Str] = true
		} else if !ok {
			vs.add(path, "format", fmt.Sprintf("%s is not a valid %s", vs.quote(s), f.Str))
		}
	}
}

// compile is a pattern compiled once; nil when it is not RE2, which is
// a finding about the spec, made once per pattern.
func (vs *validator) compile(p, path string) *regexp.Regexp {
	if re, ok := vs.patterns[p]; ok {
		return re
	}
	if vs.badPatterns[p] {
		return nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		vs.badPatterns[p] = true
		vs.add(path, "pattern", fmt.Sprintf("the spec's pattern %s is not an RE2 expression, so it is not checked (%v)", cut(strconv.Quote(p)), err))
		return nil
	}
	vs.patterns[p] = re
	return re
}

// checkFormat checks the formats keyhole knows; known is false for the
// others.
func checkFormat(format, s string) (ok, known bool) {
	switch format {
	case "date-time":
		_, err := time.Parse(time.RFC3339Nano, s)
		return err == nil, true
	case "date":
		_, err := time.Parse(time.DateOnly, s)
		return err == nil, true
	case "email":
		a, err := mail.ParseAddress(s)
		return err == nil && a.Name == "" && a.Address == s, true
	case "uuid":
		return isUUID(s), true
	case "uri":
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "", true
	case "ipv4":
		a, err := netip.ParseAddr(s)
		return err == nil && a.Is4(), true
	case "ipv6":
		a, err := netip.ParseAddr(s)
		return err == nil && a.Is6() && a.Zone() == "", true
	}
	return false, false
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func (vs *validator) checkNumber(n json.Number, schema keywords, path string) {
	f, err := n.Float64()
	if err != nil {
		return // out of float range: nothing sensible to compare
	}
	bound := func(key string) (float64, bool) {
		b := schema.Get(key)
		if b.Type != gjson.Number {
			return 0, false
		}
		return b.Num, true
	}
	if m, ok := bound("minimum"); ok {
		if schema.Get("exclusiveMinimum").Type == gjson.True && f <= m {
			vs.add(path, "exclusiveMinimum", fmt.Sprintf("%s is not above %v", n, m))
		} else if f < m {
			vs.add(path, "minimum", fmt.Sprintf("%s is below %v", n, m))
		}
	}
	if m, ok := bound("maximum"); ok {
		if schema.Get("exclusiveMaximum").Type == gjson.True && f >= m {
			vs.add(path, "exclusiveMaximum", fmt.Sprintf("%s is not below %v", n, m))
		} else if f > m {
			vs.add(path, "maximum", fmt.Sprintf("%s is above %v", n, m))
		}
	}
	// 3.1: the exclusive bounds are numbers of their own.
	if m, ok := bound("exclusiveMinimum"); ok && f <= m {
		vs.add(path, "exclusiveMinimum", fmt.Sprintf("%s is not above %v", n, m))
	}
	if m, ok := bound("exclusiveMaximum"); ok && f >= m {
		vs.add(path, "exclusiveMaximum", fmt.Sprintf("%s is not below %v", n, m))
	}
	if m, ok := bound("multipleOf"); ok && m > 0 {
		q := f / m
		if math.IsInf(q, 0) || math.Abs(q-math.Round(q)) > 1e-9*math.Max(1, math.Abs(q)) {
			vs.add(path, "multipleOf", fmt.Sprintf("%s is not a multiple of %v", n, m))
		}
	}
}

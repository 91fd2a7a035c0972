package spec

import (
	"net/url"
	"strings"

	"github.com/tidwall/gjson"
)

// formFields bounds a form skeleton with no required field: the first
// so many of its fields, not Stripe's hundred.
const formFields = 20

// isForm reports whether a media type is an URL-encoded form, the only
// request body of Twilio's and Stripe's writes.
func isForm(mediaType string) bool {
	mt, _, _ := strings.Cut(mediaType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

// formSkeleton is a form body in the schema's shape: name=value for each
// required field (for every field, up to formFields, when none is
// required), in the order written, the value the field's example,
// default or first enum value when it is a plain one, else empty.
func formSkeleton(d *doc, media gjson.Result) string {
	b := &builder{d: d, seen: map[string]bool{}}
	schema, ok := b.deref(media.Get("schema"), 0)
	if !ok {
		return ""
	}
	parts := []gjson.Result{schema}
	for _, br := range schema.Get("allOf").Array() {
		if br, ok := b.deref(br, 0); ok {
			parts = append(parts, br)
		}
	}
	required := map[string]bool{}
	var names []string
	props := map[string]gjson.Result{}
	for _, p := range parts {
		for _, r := range p.Get("required").Array() {
			required[r.String()] = true
		}
		p.Get("properties").ForEach(func(k, v gjson.Result) bool {
			if _, dup := props[k.String()]; !dup && !v.Get("readOnly").Bool() {
				names = append(names, k.String())
				props[k.String()] = v
			}
			return true
		})
	}
	var pairs []string
	for _, name := range names {
		if len(required) > 0 && !required[name] || len(required) == 0 && len(pairs) == formFields {
			continue
		}
		pairs = append(pairs, url.QueryEscape(name)+"="+url.QueryEscape(formValue(b, props[name])))
	}
	return strings.Join(pairs, "&")
}

// formValue is a field's example, default or first enum value when that
// is a string, a number or a boolean; else "".
func formValue(b *builder, s gjson.Result) string {
	s, _ = b.deref(s, 0)
	for _, v := range []gjson.Result{s.Get("example"), s.Get("default"), s.Get("enum.0")} {
		switch v.Type {
		case gjson.String, gjson.Number, gjson.True, gjson.False:
			return v.String()
		}
	}
	return ""
}

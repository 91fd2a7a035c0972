package config

import (
	"slices"
	"strings"
)

// FillTemplate replaces each {{name}} (spaces inside the braces allowed)
// with its value; a name values does not have stays as written, so the
// mistake shows in the request.
func FillTemplate(text string, values map[string]string) string {
	return fillTemplate(text, func(name string) (string, bool) {
		v, ok := values[name]
		return v, ok
	})
}

// fillTemplate replaces each {{name}} that lookup knows; the one scan of
// {{...}} both FillTemplate and TemplateNames read templates with.
func fillTemplate(text string, lookup func(name string) (string, bool)) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			break
		}
		b.WriteString(text[:i])
		if v, ok := lookup(strings.TrimSpace(text[i+2 : i+j])); ok {
			b.WriteString(v)
		} else {
			b.WriteString(text[i : i+j+2])
		}
		text = text[i+j+2:]
	}
	b.WriteString(text)
	return b.String()
}

// TemplateNames lists the {{name}}s in text, in order, each once, as
// FillTemplate reads them: what a request still needs from vars.
func TemplateNames(text string) []string {
	var out []string
	fillTemplate(text, func(name string) (string, bool) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
		return "", false
	})
	return out
}

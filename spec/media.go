package spec

import (
	"strings"

	"github.com/tidwall/gjson"
)

// contentType picks a request body's media type: JSON when offered, else
// the first.
func contentType(content gjson.Result) string {
	first, json := "", ""
	content.ForEach(func(k, _ gjson.Result) bool {
		name := k.String()
		if first == "" {
			first = name
		}
		if isJSON(name) {
			json = name
			return false
		}
		return true
	})
	if json != "" {
		return strings.Clone(json)
	}
	return strings.Clone(first)
}

func isJSON(mediaType string) bool {
	mt, _, _ := strings.Cut(mediaType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

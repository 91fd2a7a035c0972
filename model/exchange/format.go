package exchange

import (
	"bytes"
	"encoding/json"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"
)

func jsonValid(s string) bool { return json.Valid([]byte(s)) }

// IsJSON reports whether a content type names JSON (application/json,
// application/problem+json, ...).
func IsJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "/json")
}

// Pretty returns the body ready to read: JSON indented by two spaces, text
// as it is, and for bytes that are not text a note with the size instead of
// raw bytes that would garble the terminal.
func Pretty(body []byte, contentType string) string {
	if len(body) == 0 {
		return ""
	}
	trimmed := bytes.TrimSpace(body)
	if IsJSON(contentType) || (len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed)) {
		var out bytes.Buffer
		if err := json.Indent(&out, trimmed, "", "  "); err == nil {
			return out.String()
		}
	}
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		return binaryNote(len(body))
	}
	return strings.ReplaceAll(string(body), "\r\n", "\n")
}

func binaryNote(n int) string {
	return "(binary body, " + HumanSize(int64(n)) + ")"
}

// HumanSize writes a byte count the way people read it: 512 B, 2.1 KB, 50 MB.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	suffix := []string{"KB", "MB", "GB", "TB"}[exp]
	if v >= 100 {
		return strconv.FormatInt(int64(v+0.5), 10) + " " + suffix
	}
	whole := int64(v)
	tenth := int64((v-float64(whole))*10 + 0.5)
	if tenth == 10 {
		whole, tenth = whole+1, 0
	}
	return strconv.FormatInt(whole, 10) + "." + strconv.FormatInt(tenth, 10) + " " + suffix
}

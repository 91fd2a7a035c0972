package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tidwall/gjson"
)

// checkJSON refuses bytes that are not JSON, or that nest deeper than
// MaxNesting (gjson and the skeleton recurse), with the line and column of
// the fault.
func checkJSON(file string, data []byte) error {
	if off := tooDeep(data); off >= 0 {
		line, col := lineCol(data, off)
		return &Error{File: file, Line: line, Column: col, Reason: fmt.Sprintf("nests deeper than %d levels", MaxNesting)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &Error{File: file, Reason: "empty file"}
	}
	if gjson.ValidBytes(data) {
		return nil
	}
	// Only a broken file pays for the slower decoder, which says where.
	var v any
	err := json.Unmarshal(data, &v)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// Offset counts the offending byte as read.
		line, col := lineCol(data, max(int(syn.Offset)-1, 0))
		return &Error{File: file, Line: line, Column: col, Reason: "not valid JSON: " + syn.Error()}
	}
	return &Error{File: file, Reason: "not valid JSON"}
}

// tooDeep is the offset where data's brackets nest past MaxNesting, or -1.
func tooDeep(data []byte) int {
	depth := 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			if depth++; depth > MaxNesting {
				return i
			}
		case '}', ']':
			depth--
		}
	}
	return -1
}

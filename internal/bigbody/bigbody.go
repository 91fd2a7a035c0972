// Package bigbody makes the large, deterministic JSON bodies that the body
// viewer's tests, benchmarks and RSS probe read: a compact array of objects
// with nested fields, as an API's list endpoint would return it, with a
// unique marker in the very last object.
package bigbody

import "strconv"

// Marker is a string found only in the last object of a body.
const Marker = "END-OF-BODY-7f3a9c"

// Objects50MB is how many objects make a body of about 50 MB (52 MB).
const Objects50MB = 300_000

// JSON returns a compact JSON array of n objects; object i has "id": i+1.
// It is built in one preallocated buffer, so 50 MB take tens of
// milliseconds.
func JSON(n int) []byte {
	b := make([]byte, 0, n*180+64)
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		id := i + 1
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `,"name":"item-`...)
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `","active":`...)
		b = strconv.AppendBool(b, id%3 != 0)
		b = append(b, `,"price":`...)
		b = strconv.AppendInt(b, int64(id%1000), 10)
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(10+id%90), 10)
		b = append(b, `,"tags":["alpha","beta"],"owner":{"id":`...)
		b = strconv.AppendInt(b, int64(id%97), 10)
		b = append(b, `,"email":"user`...)
		b = strconv.AppendInt(b, int64(id%97), 10)
		b = append(b, `@example.com","roles":["read","write"]},"note":`...)
		if id == n {
			b = append(b, '"')
			b = append(b, Marker...)
			b = append(b, '"')
		} else {
			b = append(b, "null"...)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

package secret_test

import (
	"bytes"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// BenchmarkRedactForm is the redactor over 8 MB of name=value pairs, the
// worst case for the parameter pass: an '=' every few bytes.
func BenchmarkRedactForm(b *testing.B) {
	body := bytes.Repeat([]byte("page=2&sort=name&filter=active&"), 8<<20/31)
	var r secret.Redactor
	r.Add(secret.New("a-client-secret-value"))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, changed := r.RedactBytes(body); changed {
			b.Fatal("nothing to mask")
		}
	}
}

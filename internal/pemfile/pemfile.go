// Package pemfile reads the PEM files a config names — a CA bundle, a
// client certificate and its key — and says what is wrong with one in
// words a person can act on. It knows no config: the caller names the key
// and the path.
package pemfile

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// Which file of a pair a Problem is about.
const (
	Cert = "cert" // the certificate
	Key  = "key"  // its private key
	Pair = "pair" // the two together: they do not match
)

// Problem is what is wrong with a PEM file: Which names the file (Cert,
// Key or Pair), Msg says what, Hint how to mend it (may be empty).
type Problem struct {
	Which, Msg, Hint string
}

func (p *Problem) Error() string { return p.Msg }

// Certificates parses every CERTIFICATE block of a CA bundle; other blocks
// are skipped. A bundle without one is a Problem, as is a block that does
// not parse (named by its place in the file).
func Certificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := data
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, &Problem{Which: Cert, Msg: fmt.Sprintf("PEM block %d is not a valid certificate: %v", n, err)}
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, &Problem{Which: Cert, Msg: "holds no PEM certificate",
			Hint: "ca_file wants one or more -----BEGIN CERTIFICATE----- blocks; convert a DER file with: openssl x509 -inform der -in FILE -out ca.pem"}
	}
	return certs, nil
}

// KeyPair checks a client certificate and its private key one file at a
// time, so the Problem names the file at fault, then pairs them.
func KeyPair(certPEM, keyPEM []byte) (tls.Certificate, error) {
	leaf := firstBlock(certPEM, func(b *pem.Block) bool { return b.Type == "CERTIFICATE" })
	if leaf == nil {
		return tls.Certificate{}, &Problem{Which: Cert, Msg: "holds no PEM certificate",
			Hint: "cert_file wants the client certificate as a -----BEGIN CERTIFICATE----- block"}
	}
	if _, err := x509.ParseCertificate(leaf.Bytes); err != nil {
		return tls.Certificate{}, &Problem{Which: Cert, Msg: fmt.Sprintf("not a valid certificate: %v", err)}
	}
	switch {
	case firstBlock(keyPEM, encryptedKey) != nil:
		return tls.Certificate{}, &Problem{Which: Key, Msg: "the private key is encrypted",
			Hint: "keyhole needs an unencrypted key: openssl pkey -in FILE -out key.pem, kept private (chmod 600)"}
	case firstBlock(keyPEM, func(b *pem.Block) bool { return strings.HasSuffix(b.Type, "PRIVATE KEY") }) == nil:
		return tls.Certificate{}, &Problem{Which: Key, Msg: "holds no PEM private key",
			Hint: "key_file wants a -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block"}
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		// crypto/tls's messages name what is wrong, never the key's bytes.
		return tls.Certificate{}, &Problem{Which: Pair, Msg: err.Error(), Hint: "cert_file and key_file must be the two halves of one client certificate"}
	}
	return cert, nil
}

// firstBlock is data's first PEM block that passes ok, or nil.
func firstBlock(data []byte, ok func(*pem.Block) bool) *pem.Block {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil || ok(block) {
			return block
		}
	}
}

// encryptedKey reports an encrypted private key, PKCS #8 or OpenSSL's
// older Proc-Type: 4,ENCRYPTED, which crypto/tls cannot read.
func encryptedKey(b *pem.Block) bool {
	return b.Type == "ENCRYPTED PRIVATE KEY" || strings.HasSuffix(b.Type, "PRIVATE KEY") && strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED")
}

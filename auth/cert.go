package auth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// certError is a certificate problem found while reading the profile's certificate. Its text
// names the problem and the fix; it never contains the key or the password.
type certError struct {
	summary, fix string
	notCert      bool // neither PEM nor PKCS#12: the fix depends on where the data came from
}

func (e *certError) Error() string { return e.summary }

// parseCertificate reads a certificate credential: PEM (CERTIFICATE blocks plus an unencrypted
// RSA key) or PKCS#12 in either the legacy (SHA-1 MAC, RC2/3DES) or the modern OpenSSL 3
// (PBES2/AES, SHA-256 MAC) encoding, which azidentity's own parser cannot read. It returns the
// chain with the key's certificate first, as MSAL expects, and the RSA key MSAL requires.
func parseCertificate(data []byte, password string, now time.Time) ([]*x509.Certificate, *rsa.PrivateKey, error) {
	var (
		certs []*x509.Certificate
		key   crypto.PrivateKey
		err   error
	)
	if isPEM(data) {
		certs, key, err = parsePEM(data)
	} else {
		certs, key, err = parsePKCS12(data, password)
	}
	if err != nil {
		return nil, nil, err
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, nil, &certError{summary: fmt.Sprintf("the private key is %s; Microsoft Entra client certificates need an RSA key", keyKind(key)),
			fix: "create an RSA certificate (e.g. openssl req -x509 -newkey rsa:2048 …), upload it to the app registration, and point the profile at it"}
	}
	certs, err = leafFirst(certs, rsaKey)
	if err != nil {
		return nil, nil, err
	}
	leaf := certs[0]
	if now.After(leaf.NotAfter) {
		return nil, nil, &certError{summary: fmt.Sprintf("the certificate (%s) expired on %s", certName(leaf), leaf.NotAfter.UTC().Format(time.DateOnly)),
			fix: "create a new certificate, upload it to the app registration, and point the profile at it"}
	}
	return certs, rsaKey, nil
}

func isPEM(data []byte) bool { return bytes.Contains(data, []byte("-----BEGIN ")) }

func parsePEM(data []byte) ([]*x509.Certificate, crypto.PrivateKey, error) {
	var (
		certs []*x509.Certificate
		key   crypto.PrivateKey
	)
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, nil, &certError{summary: "a CERTIFICATE block in the PEM file is not a valid X.509 certificate", fix: "re-export the certificate as PEM"}
			}
			certs = append(certs, c)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				// Some tools label PKCS#1 keys "PRIVATE KEY".
				if k1, err1 := x509.ParsePKCS1PrivateKey(block.Bytes); err1 == nil {
					k = k1
				} else {
					return nil, nil, &certError{summary: "the PRIVATE KEY block in the PEM file cannot be parsed", fix: "re-export the key as unencrypted PKCS#8 PEM (openssl pkcs8 -topk8 -nocrypt)"}
				}
			}
			key = k
		case "RSA PRIVATE KEY":
			if _, encrypted := block.Headers["Proc-Type"]; encrypted {
				return nil, nil, encryptedPEMError()
			}
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, nil, &certError{summary: "the RSA PRIVATE KEY block in the PEM file cannot be parsed", fix: "re-export the key as unencrypted PEM"}
			}
			key = k
		case "EC PRIVATE KEY":
			return nil, nil, &certError{summary: "the private key is an EC key; Microsoft Entra client certificates need an RSA key",
				fix: "create an RSA certificate (e.g. openssl req -x509 -newkey rsa:2048 …), upload it to the app registration, and point the profile at it"}
		case "ENCRYPTED PRIVATE KEY":
			return nil, nil, encryptedPEMError()
		}
	}
	if len(certs) == 0 {
		return nil, nil, &certError{summary: "the PEM file holds no CERTIFICATE block", fix: "put the certificate and its private key in one PEM file (cat cert.pem key.pem > both.pem)"}
	}
	if key == nil {
		return nil, nil, &certError{summary: "the PEM file holds no private key", fix: "put the certificate and its unencrypted RSA private key in one PEM file (cat cert.pem key.pem > both.pem)"}
	}
	return certs, key, nil
}

func encryptedPEMError() error {
	return &certError{summary: "the PEM private key is encrypted, which is not supported",
		fix: "use a password-protected PKCS#12 file instead (openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx) with certificate_password, or decrypt the key (openssl pkey -in key.pem -out plain.pem) and keep it private"}
}

func parsePKCS12(data []byte, password string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		switch {
		case errors.Is(err, pkcs12.ErrIncorrectPassword):
			if password == "" {
				return nil, nil, &certError{summary: "the PKCS#12 file is password-protected and no certificate_password is set", fix: "set certificate_password to a secret reference holding the file's password"}
			}
			return nil, nil, &certError{summary: "the certificate password is wrong for this PKCS#12 file", fix: "check the secret certificate_password refers to"}
		case errors.Is(err, pkcs12.ErrDecryption):
			return nil, nil, &certError{summary: "the PKCS#12 file cannot be decrypted (wrong password or damaged file)", fix: "check certificate_password, or re-export the file"}
		}
		var ni pkcs12.NotImplementedError
		if errors.As(err, &ni) {
			return nil, nil, &certError{summary: "the PKCS#12 file uses an encoding that cannot be read: " + ni.Error(),
				fix: "re-export it: openssl pkcs12 -in old.pfx -nodes | openssl pkcs12 -export -out new.pfx (or use a PEM file with the certificate and key)"}
		}
		return nil, nil, &certError{summary: "the data is neither PEM nor PKCS#12", notCert: true,
			fix: "point auth.certificate_file at a PEM file (certificate + RSA key) or a PKCS#12 (.pfx/.p12) file; a base64 bundle belongs in the certificate secret, not certificate_file"}
	}
	return append([]*x509.Certificate{leaf}, chain...), key, nil
}

// decodeBase64PKCS12 decodes a base64 PKCS#12 bundle from a secret, tolerating line breaks and
// either base64 alphabet.
func decodeBase64PKCS12(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, &certError{
		summary: "the certificate secret is not base64 (it should hold a base64-encoded PKCS#12 bundle)",
		fix:     "store base64 of the .pfx file (base64 -w0 cert.pfx) in the secret, or use certificate_file for a file on disk"}
}

// leafFirst orders the chain so that the certificate matching key comes first.
func leafFirst(certs []*x509.Certificate, key *rsa.PrivateKey) ([]*x509.Certificate, error) {
	for i, c := range certs {
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok && pub.Equal(&key.PublicKey) {
			if i == 0 {
				return certs, nil
			}
			out := append([]*x509.Certificate{c}, certs[:i]...)
			return append(out, certs[i+1:]...), nil
		}
	}
	return nil, &certError{summary: "the private key does not belong to any certificate in the file", fix: "put the certificate and its own private key together (check with: openssl x509 -noout -modulus -in cert.pem; openssl rsa -noout -modulus -in key.pem)"}
}

func keyKind(k crypto.PrivateKey) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return "an EC key"
	case ed25519.PrivateKey, *ed25519.PrivateKey:
		return "an Ed25519 key"
	case nil:
		return "missing"
	}
	return fmt.Sprintf("of type %T", k)
}

func certName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	return "serial " + c.SerialNumber.String()
}

package decode

// PHP serialize is read by hand: no maintained Go library reads it without unmarshalling into
// Go types, and a display needs every value kind (objects, references, custom serializers) in
// order. Grammar from PHP's ext/standard/var_unserializer: N; b:0; i:1; d:0.5; s:LEN:"…";
// a:N:{…} O:LEN:"Class":N:{…} C:LEN:"Class":LEN:{…} E:LEN:"Class:Case"; r:N; R:N;

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

type phpReader struct {
	b   []byte
	pos int
	t   *textBuf
}

// looksPHP accepts a value that starts like PHP serialize and parses to its last byte.
func looksPHP(b []byte) bool {
	if len(b) < 4 || b[1] != ':' || !strings.ContainsRune("aOsidbCE", rune(b[0])) {
		return false
	}
	return renderPHP(&textBuf{max: 1 << 20}, b) == nil
}

func renderPHP(t *textBuf, b []byte) error {
	r := &phpReader{b: b, t: t}
	if err := r.value("", 0); err != nil {
		return fmt.Errorf("at byte %d: %w", r.pos, err)
	}
	if r.pos != len(b) {
		return fmt.Errorf("%d bytes after the value", len(b)-r.pos)
	}
	return nil
}

func (r *phpReader) expect(s string) error {
	if !strings.HasPrefix(string(r.b[r.pos:]), s) {
		return fmt.Errorf("expected %q", s)
	}
	r.pos += len(s)
	return nil
}

// until reads up to (not including) the byte end, and skips it.
func (r *phpReader) until(end byte) (string, error) {
	for i := r.pos; i < len(r.b); i++ {
		if r.b[i] == end {
			s := string(r.b[r.pos:i])
			r.pos = i + 1
			return s, nil
		}
	}
	return "", errors.New("truncated")
}

func (r *phpReader) count(end byte) (int, error) {
	s, err := r.until(end)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad length %q", s)
	}
	return n, nil
}

// quoted reads LEN:"bytes" (LEN already read).
func (r *phpReader) quoted(n int) (string, error) {
	if err := r.expect(`"`); err != nil {
		return "", err
	}
	if n > len(r.b)-r.pos {
		return "", errors.New("truncated")
	}
	s := string(r.b[r.pos : r.pos+n])
	r.pos += n
	return s, r.expect(`"`)
}

func (r *phpReader) value(indent string, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	if r.pos+2 > len(r.b) {
		return errors.New("truncated")
	}
	kind := r.b[r.pos]
	if kind == 'N' {
		r.pos++
		r.t.WriteString("null")
		return r.expect(";")
	}
	r.pos++
	if err := r.expect(":"); err != nil {
		return err
	}
	switch kind {
	case 'b':
		s, err := r.until(';')
		if err != nil || (s != "0" && s != "1") {
			return errors.New("bad boolean")
		}
		r.t.WriteString(strconv.FormatBool(s == "1"))
	case 'i':
		s, err := r.until(';')
		if err != nil {
			return err
		}
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return fmt.Errorf("bad integer %q", s)
		}
		r.t.WriteString(s)
	case 'd':
		s, err := r.until(';')
		if err != nil {
			return err
		}
		if s != "NAN" && s != "INF" && s != "-INF" {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return fmt.Errorf("bad float %q", s)
			}
		}
		r.t.WriteString(s)
	case 's':
		n, err := r.count(':')
		if err != nil {
			return err
		}
		s, err := r.quoted(n)
		if err != nil {
			return err
		}
		r.t.WriteString(jsonString(s))
		return r.expect(";")
	case 'r', 'R':
		n, err := r.count(';')
		if err != nil {
			return err
		}
		r.t.printf("(reference to value #%d)", n)
	case 'E':
		n, err := r.count(':')
		if err != nil {
			return err
		}
		s, err := r.quoted(n)
		if err != nil {
			return err
		}
		r.t.WriteString("enum " + strings.Replace(s, ":", "::", 1))
		return r.expect(";")
	case 'a':
		n, err := r.count(':')
		if err != nil {
			return err
		}
		r.t.printf("array(%d) ", n)
		return r.members(n, indent, depth)
	case 'O', 'C':
		n, err := r.count(':')
		if err != nil {
			return err
		}
		class, err := r.quoted(n)
		if err != nil {
			return err
		}
		if err := r.expect(":"); err != nil {
			return err
		}
		m, err := r.count(':')
		if err != nil {
			return err
		}
		if kind == 'C' {
			if err := r.expect("{"); err != nil {
				return err
			}
			if m > len(r.b)-r.pos {
				return errors.New("truncated")
			}
			data := string(r.b[r.pos : r.pos+m])
			r.pos += m
			r.t.WriteString(class + " (Serializable) " + jsonString(data))
			return r.expect("}")
		}
		r.t.WriteString("object " + class + " ")
		return r.members(m, indent, depth)
	default:
		return fmt.Errorf("unknown type %q", kind)
	}
	return nil
}

// members reads {key;value;…} with n pairs.
func (r *phpReader) members(n int, indent string, depth int) error {
	if err := r.expect("{"); err != nil {
		return err
	}
	if n > len(r.b)-r.pos {
		return errors.New("truncated")
	}
	if n == 0 {
		r.t.WriteString("{}")
		return r.expect("}")
	}
	r.t.WriteString("{\n")
	in := indent + "  "
	for range n {
		r.t.WriteString(in)
		if err := r.value(in, depth+1); err != nil {
			return err
		}
		r.t.WriteString(" => ")
		if err := r.value(in, depth+1); err != nil {
			return err
		}
		r.t.WriteByte('\n')
	}
	r.t.WriteString(indent + "}")
	return r.expect("}")
}

package decode

// Python pickles are read by hand, opcode by opcode, into a tree that is only displayed: no Go
// library reads pickles without either executing them or mapping them onto Go types, and
// unpickling (calling the globals a pickle names) is exactly what a viewer must never do.
// Opcodes of protocols 0–5 follow CPython's Lib/pickletools.py.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

type pyKind uint8

const (
	pyNone pyKind = iota
	pyBool
	pyInt
	pyFloat
	pyStr
	pyBytes
	pyList
	pyTuple
	pyDict
	pySet
	pyFrozenSet
	pyGlobal
	pyCall   // items[0] called with items[1] (a tuple); extra holds appended items/state
	pyPersID // persistent id
	pyBuffer
)

type pyVal struct {
	kind  pyKind
	s     string // str, bytes, int digits, global name
	f     float64
	b     bool
	items []*pyVal
	extra []*pyVal // items appended to, or key/value pairs set on, a call result
	pairs bool     // extra holds key/value pairs (SETITEM on an object)
	state *pyVal
}

type pickleReader struct {
	b     []byte
	pos   int
	stack []*pyVal
	marks []int
	memo  map[uint64]*pyVal
}

var errPickleEOF = errors.New("truncated")

func renderPickle(t *textBuf, b []byte) error {
	v, err := readPickle(b)
	if err != nil {
		return err
	}
	renderPy(t, v, "", map[*pyVal]bool{}, 0)
	return nil
}

func readPickle(b []byte) (*pyVal, error) {
	r := &pickleReader{b: b, memo: map[uint64]*pyVal{}}
	v, err := r.run()
	if err != nil {
		return nil, fmt.Errorf("at byte %d: %w", r.pos, err)
	}
	if r.pos != len(b) {
		return nil, fmt.Errorf("%d bytes after STOP", len(b)-r.pos)
	}
	return v, nil
}

func (r *pickleReader) need(n uint64) ([]byte, error) {
	if n > uint64(len(r.b)-r.pos) {
		return nil, errPickleEOF
	}
	s := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s, nil
}

func (r *pickleReader) line() (string, error) {
	for i := r.pos; i < len(r.b); i++ {
		if r.b[i] == '\n' {
			s := string(r.b[r.pos:i])
			r.pos = i + 1
			return s, nil
		}
	}
	return "", errPickleEOF
}

func (r *pickleReader) uint(n int) (uint64, error) {
	s, err := r.need(uint64(n))
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v, nil
}

func (r *pickleReader) push(v *pyVal) { r.stack = append(r.stack, v) }

func (r *pickleReader) pop() (*pyVal, error) {
	if len(r.stack) == 0 || (len(r.marks) > 0 && len(r.stack) <= r.marks[len(r.marks)-1]) {
		return nil, errors.New("stack underflow")
	}
	v := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	return v, nil
}

func (r *pickleReader) top() (*pyVal, error) {
	if len(r.stack) == 0 {
		return nil, errors.New("stack underflow")
	}
	return r.stack[len(r.stack)-1], nil
}

// popMark pops everything above the last MARK.
func (r *pickleReader) popMark() ([]*pyVal, error) {
	if len(r.marks) == 0 {
		return nil, errors.New("no MARK on the stack")
	}
	m := r.marks[len(r.marks)-1]
	r.marks = r.marks[:len(r.marks)-1]
	items := append([]*pyVal(nil), r.stack[m:]...)
	r.stack = r.stack[:m]
	return items, nil
}

// add appends items to a list, set or dict, or records them on an opaque object.
func add(target *pyVal, items ...*pyVal) {
	switch target.kind {
	case pyList, pySet, pyDict:
		target.items = append(target.items, items...)
	default:
		target.extra = append(target.extra, items...)
	}
}

func (r *pickleReader) run() (*pyVal, error) {
	steps := 0
	for {
		steps++
		if steps > len(r.b)+1 {
			return nil, errors.New("no progress")
		}
		op, err := r.need(1)
		if err != nil {
			return nil, errors.New("truncated before STOP")
		}
		if err := r.step(op[0]); err != nil {
			if err == errStop {
				if len(r.stack) != 1 {
					return nil, fmt.Errorf("STOP with %d values on the stack", len(r.stack))
				}
				return r.stack[0], nil
			}
			return nil, fmt.Errorf("opcode 0x%02x: %w", op[0], err)
		}
		if len(r.stack) > len(r.b) {
			return nil, errors.New("stack larger than the pickle")
		}
	}
}

var errStop = errors.New("stop")

func (r *pickleReader) step(op byte) error {
	switch op {
	case '.':
		return errStop
	case 0x80: // PROTO
		_, err := r.need(1)
		return err
	case 0x95: // FRAME
		_, err := r.need(8)
		return err
	case '(':
		r.marks = append(r.marks, len(r.stack))
	case '0':
		_, err := r.pop()
		return err
	case '1':
		_, err := r.popMark()
		return err
	case '2':
		v, err := r.top()
		if err != nil {
			return err
		}
		r.push(v)
	case 'N':
		r.push(&pyVal{kind: pyNone})
	case 0x88, 0x89:
		r.push(&pyVal{kind: pyBool, b: op == 0x88})
	case 'I':
		s, err := r.line()
		if err != nil {
			return err
		}
		switch s {
		case "00":
			r.push(&pyVal{kind: pyBool})
		case "01":
			r.push(&pyVal{kind: pyBool, b: true})
		default:
			if _, ok := new(big.Int).SetString(s, 10); !ok {
				return fmt.Errorf("bad INT %q", s)
			}
			r.push(&pyVal{kind: pyInt, s: s})
		}
	case 'L':
		s, err := r.line()
		if err != nil {
			return err
		}
		s = strings.TrimSuffix(s, "L")
		if _, ok := new(big.Int).SetString(s, 10); !ok {
			return fmt.Errorf("bad LONG %q", s)
		}
		r.push(&pyVal{kind: pyInt, s: s})
	case 'J', 'K', 'M':
		n := map[byte]int{'J': 4, 'K': 1, 'M': 2}[op]
		v, err := r.uint(n)
		if err != nil {
			return err
		}
		i := int64(v)
		if op == 'J' {
			i = int64(int32(uint32(v)))
		}
		r.push(&pyVal{kind: pyInt, s: strconv.FormatInt(i, 10)})
	case 0x8a, 0x8b: // LONG1, LONG4
		n, err := r.uint(map[byte]int{0x8a: 1, 0x8b: 4}[op])
		if err != nil {
			return err
		}
		s, err := r.need(n)
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyInt, s: littleSigned(s)})
	case 'F':
		s, err := r.line()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("bad FLOAT %q", s)
		}
		r.push(&pyVal{kind: pyFloat, f: f})
	case 'G':
		s, err := r.need(8)
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyFloat, f: math.Float64frombits(binary.BigEndian.Uint64(s))})
	case 'S', 'V':
		s, err := r.line()
		if err != nil {
			return err
		}
		if op == 'S' {
			if u, err := strconv.Unquote(pyQuoteToGo(s)); err == nil {
				s = u
			}
			r.push(&pyVal{kind: pyBytes, s: s})
		} else {
			r.push(&pyVal{kind: pyStr, s: s})
		}
	case 'T', 'U', 'X', 'B', 'C', 0x8c, 0x8d, 0x8e, 0x96: // sized strings and bytes
		width := map[byte]int{'T': 4, 'U': 1, 'X': 4, 'B': 4, 'C': 1, 0x8c: 1, 0x8d: 8, 0x8e: 8, 0x96: 8}[op]
		n, err := r.uint(width)
		if err != nil {
			return err
		}
		s, err := r.need(n)
		if err != nil {
			return err
		}
		kind := pyBytes
		if op == 'X' || op == 0x8c || op == 0x8d {
			kind = pyStr
		}
		r.push(&pyVal{kind: kind, s: string(s)})
	case 0x97: // NEXT_BUFFER
		r.push(&pyVal{kind: pyBuffer})
	case 0x98: // READONLY_BUFFER
		_, err := r.top()
		return err
	case ']':
		r.push(&pyVal{kind: pyList})
	case '}':
		r.push(&pyVal{kind: pyDict})
	case ')':
		r.push(&pyVal{kind: pyTuple})
	case 0x8f:
		r.push(&pyVal{kind: pySet})
	case 'l', 't', 'd', 0x91: // LIST, TUPLE, DICT, FROZENSET from the mark
		items, err := r.popMark()
		if err != nil {
			return err
		}
		kind := map[byte]pyKind{'l': pyList, 't': pyTuple, 'd': pyDict, 0x91: pyFrozenSet}[op]
		if kind == pyDict && len(items)%2 != 0 {
			return errors.New("DICT with an odd number of items")
		}
		r.push(&pyVal{kind: kind, items: items})
	case 0x85, 0x86, 0x87: // TUPLE1..3
		n := int(op - 0x84)
		if len(r.stack) < n {
			return errors.New("stack underflow")
		}
		items := make([]*pyVal, n)
		for i := n - 1; i >= 0; i-- {
			v, err := r.pop()
			if err != nil {
				return err
			}
			items[i] = v
		}
		r.push(&pyVal{kind: pyTuple, items: items})
	case 'a':
		v, err := r.pop()
		if err != nil {
			return err
		}
		target, err := r.top()
		if err != nil {
			return err
		}
		add(target, v)
	case 'e', 0x90, 'u': // APPENDS, ADDITEMS, SETITEMS
		items, err := r.popMark()
		if err != nil {
			return err
		}
		if op == 'u' && len(items)%2 != 0 {
			return errors.New("SETITEMS with an odd number of items")
		}
		target, err := r.top()
		if err != nil {
			return err
		}
		add(target, items...)
		target.pairs = target.pairs || (op == 'u' && target.kind == pyCall)
	case 's':
		v, err := r.pop()
		if err != nil {
			return err
		}
		k, err := r.pop()
		if err != nil {
			return err
		}
		target, err := r.top()
		if err != nil {
			return err
		}
		add(target, k, v)
		target.pairs = target.pairs || target.kind == pyCall
	case 'c', 'i': // GLOBAL, INST
		mod, err := r.line()
		if err != nil {
			return err
		}
		name, err := r.line()
		if err != nil {
			return err
		}
		g := &pyVal{kind: pyGlobal, s: mod + "." + name}
		if op == 'c' {
			r.push(g)
			return nil
		}
		args, err := r.popMark()
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyCall, items: []*pyVal{g, {kind: pyTuple, items: args}}})
	case 0x93: // STACK_GLOBAL
		name, err := r.pop()
		if err != nil {
			return err
		}
		mod, err := r.pop()
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyGlobal, s: mod.s + "." + name.s})
	case 'R', 0x81: // REDUCE, NEWOBJ
		args, err := r.pop()
		if err != nil {
			return err
		}
		fn, err := r.pop()
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyCall, items: []*pyVal{fn, args}})
	case 0x92: // NEWOBJ_EX
		kwargs, err := r.pop()
		if err != nil {
			return err
		}
		args, err := r.pop()
		if err != nil {
			return err
		}
		cls, err := r.pop()
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyCall, items: []*pyVal{cls, args, kwargs}})
	case 'o': // OBJ
		items, err := r.popMark()
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return errors.New("OBJ without a class")
		}
		r.push(&pyVal{kind: pyCall, items: []*pyVal{items[0], {kind: pyTuple, items: items[1:]}}})
	case 'b': // BUILD
		state, err := r.pop()
		if err != nil {
			return err
		}
		target, err := r.top()
		if err != nil {
			return err
		}
		if target.kind != pyCall && target.kind != pyGlobal {
			// BUILD on a plain value: keep it visible as a call-like wrapper.
			w := *target
			*target = pyVal{kind: pyCall, items: []*pyVal{{kind: pyGlobal, s: "(value)"}, {kind: pyTuple, items: []*pyVal{&w}}}}
		}
		target.state = state
	case 'P':
		s, err := r.line()
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyPersID, s: s})
	case 'Q':
		v, err := r.pop()
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyPersID, items: []*pyVal{v}})
	case 0x82, 0x83, 0x84: // EXT1, EXT2, EXT4
		n, err := r.uint(map[byte]int{0x82: 1, 0x83: 2, 0x84: 4}[op])
		if err != nil {
			return err
		}
		r.push(&pyVal{kind: pyGlobal, s: fmt.Sprintf("(extension code %d)", n)})
	case 'p', 'q', 'r', 0x94: // PUT, BINPUT, LONG_BINPUT, MEMOIZE
		var idx uint64
		var err error
		switch op {
		case 'p':
			var s string
			if s, err = r.line(); err == nil {
				idx, err = strconv.ParseUint(s, 10, 64)
			}
		case 'q':
			idx, err = r.uint(1)
		case 'r':
			idx, err = r.uint(4)
		default:
			idx = uint64(len(r.memo))
		}
		if err != nil {
			return err
		}
		v, err := r.top()
		if err != nil {
			return err
		}
		r.memo[idx] = v
	case 'g', 'h', 'j': // GET, BINGET, LONG_BINGET
		var idx uint64
		var err error
		switch op {
		case 'g':
			var s string
			if s, err = r.line(); err == nil {
				idx, err = strconv.ParseUint(s, 10, 64)
			}
		case 'h':
			idx, err = r.uint(1)
		default:
			idx, err = r.uint(4)
		}
		if err != nil {
			return err
		}
		v, ok := r.memo[idx]
		if !ok {
			return fmt.Errorf("memo %d was never stored", idx)
		}
		r.push(v)
	default:
		return errors.New("unknown opcode")
	}
	return nil
}

// littleSigned renders a little-endian two's-complement integer.
func littleSigned(s []byte) string {
	if len(s) == 0 {
		return "0"
	}
	be := make([]byte, len(s))
	for i, c := range s {
		be[len(s)-1-i] = c
	}
	n := new(big.Int).SetBytes(be)
	if s[len(s)-1]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(s))))
	}
	return n.String()
}

// pyQuoteToGo turns a protocol-0 STRING repr ('abc' or "abc") into a Go-quotable string.
func pyQuoteToGo(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		inner := strings.ReplaceAll(s[1:len(s)-1], `\'`, `'`)
		return `"` + strings.ReplaceAll(inner, `"`, `\"`) + `"`
	}
	return s
}

// renderPy writes v in Python's repr style, one container item a line.
func renderPy(t *textBuf, v *pyVal, indent string, seen map[*pyVal]bool, depth int) {
	if t.full() {
		return
	}
	if seen[v] || depth > maxDepth {
		t.WriteString("...")
		return
	}
	switch v.kind {
	case pyNone:
		t.WriteString("None")
	case pyBool:
		if v.b {
			t.WriteString("True")
		} else {
			t.WriteString("False")
		}
	case pyInt, pyGlobal:
		t.WriteString(v.s)
	case pyFloat:
		s := strconv.FormatFloat(v.f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEIN") {
			s += ".0"
		}
		t.WriteString(s)
	case pyStr:
		t.WriteString(jsonString(v.s))
	case pyBytes:
		t.WriteString("b" + strconv.Quote(v.s))
	case pyBuffer:
		t.WriteString("(out-of-band buffer)")
	case pyPersID:
		t.WriteString("persistent_id(")
		if len(v.items) > 0 {
			renderPy(t, v.items[0], indent, seen, depth+1)
		} else {
			t.WriteString(strconv.Quote(v.s))
		}
		t.WriteString(")")
	case pyList, pyTuple, pySet, pyFrozenSet, pyDict:
		seen[v] = true
		open, closing := map[pyKind]string{pyList: "[", pyTuple: "(", pySet: "{", pyFrozenSet: "frozenset({", pyDict: "{"}[v.kind],
			map[pyKind]string{pyList: "]", pyTuple: ")", pySet: "}", pyFrozenSet: "})", pyDict: "}"}[v.kind]
		if v.kind == pySet && len(v.items) == 0 {
			open, closing = "set(", ")"
		}
		renderItems(t, open, closing, v.items, v.kind == pyDict, indent, seen, depth)
		delete(seen, v)
	case pyCall:
		seen[v] = true
		renderPy(t, v.items[0], indent, seen, depth+1)
		args := v.items[1]
		if args.kind == pyTuple {
			renderItems(t, "(", ")", args.items, false, indent, seen, depth)
		} else {
			t.WriteString("(*")
			renderPy(t, args, indent, seen, depth+1)
			t.WriteString(")")
		}
		if len(v.items) > 2 {
			t.WriteString(" kwargs ")
			renderPy(t, v.items[2], indent, seen, depth+1)
		}
		if len(v.extra) > 0 {
			if v.pairs {
				t.WriteString(" with items ")
				renderItems(t, "{", "}", v.extra, len(v.extra)%2 == 0, indent, seen, depth)
			} else {
				t.WriteString(" with items ")
				renderItems(t, "[", "]", v.extra, false, indent, seen, depth)
			}
		}
		if v.state != nil {
			t.WriteString(" with state ")
			renderPy(t, v.state, indent, seen, depth+1)
		}
		delete(seen, v)
	}
}

func renderItems(t *textBuf, open, closing string, items []*pyVal, pairs bool, indent string, seen map[*pyVal]bool, depth int) {
	if len(items) == 0 {
		t.WriteString(open + closing)
		return
	}
	t.WriteString(open + "\n")
	in := indent + "  "
	step := 1
	if pairs {
		step = 2
	}
	for i := 0; i+step <= len(items) && !t.full(); i += step {
		t.WriteString(in)
		renderPy(t, items[i], in, seen, depth+1)
		if pairs {
			t.WriteString(": ")
			renderPy(t, items[i+1], in, seen, depth+1)
		}
		t.WriteString(",\n")
	}
	t.WriteString(indent + closing)
}

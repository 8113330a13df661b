package decode

import (
	"encoding/binary"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// looksBSON checks BSON's self-describing frame: a little-endian length equal to the value's
// size, a trailing NUL, a known first element type, and a document that validates.
func looksBSON(b []byte) bool {
	if len(b) < 5 || int(binary.LittleEndian.Uint32(b)) != len(b) || b[len(b)-1] != 0 {
		return false
	}
	if len(b) > 5 {
		if t := b[4]; !(t >= 0x01 && t <= 0x13) && t != 0x7f && t != 0xff {
			return false
		}
	}
	return bson.Raw(b).Validate() == nil
}

// renderBSON shows a document as relaxed Extended JSON.
func renderBSON(t *textBuf, b []byte) error {
	if err := bson.Raw(b).Validate(); err != nil {
		return err
	}
	out, err := bson.MarshalExtJSONIndent(bson.Raw(b), false, false, "", "  ")
	if err != nil {
		return err
	}
	t.WriteString(string(out))
	return nil
}

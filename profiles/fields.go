package profiles

import (
	"fmt"
	"reflect"
	"strings"
)

// Unset clears a field named as in the file ("tls.ca_file", "auth.scopes", or a whole table:
// "tls", "token"), so that its default applies again. The profile is not validated.
func (p *Profile) Unset(field string) error {
	if field == "" {
		return fmt.Errorf("no field given")
	}
	v := reflect.ValueOf(p).Elem()
	for _, part := range strings.Split(field, ".") {
		if v.Kind() != reflect.Struct || v.Type() == durationType {
			return fmt.Errorf("unknown field %q", field)
		}
		_, index := fieldNames(v.Type())
		i, ok := index[part]
		if !ok {
			return fmt.Errorf("unknown field %q; want one of %s", field, strings.Join(FieldNames(), ", "))
		}
		v = v.Field(i)
	}
	v.SetZero()
	return nil
}

// FieldNames lists every field and table of a profile as named in the file, in file order.
func FieldNames() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		names, index := fieldNames(t)
		for _, n := range names {
			ft := t.Field(index[n]).Type
			out = append(out, prefix+n)
			if ft.Kind() == reflect.Struct && ft != durationType {
				walk(ft, prefix+n+".")
			}
		}
	}
	walk(reflect.TypeFor[Profile](), "")
	return out
}

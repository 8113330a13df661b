package common

// ConstErr is an error that is a constant: a fixed explanation shown to the user, comparable
// with == and free to create.
type ConstErr string

// Error implements error.
func (e ConstErr) Error() string { return string(e) }

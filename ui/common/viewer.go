package common

type ConstErr string

func (e ConstErr) Error() string { return string(e) }

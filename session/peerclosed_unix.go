//go:build unix

package session

import (
	"errors"
	"syscall"
)

// peekFD peeks one byte with MSG_PEEK|MSG_DONTWAIT: 0 bytes is the peer's FIN.
func peekFD(fd uintptr) (socketState, error) {
	var b [1]byte
	n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	switch {
	case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINTR):
		return socketIdle, nil
	case err != nil:
		return socketClosed, err
	case n == 0:
		return socketClosed, nil
	}
	return socketHasData, nil
}

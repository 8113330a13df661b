package emulator

import (
	"bytes"
	"crypto/subtle"
	"strconv"
	"time"
)

// Error texts, byte for byte as Redis 7.2+ (and so AMR) sends them.
const (
	msgNoAuth      = "NOAUTH Authentication required."
	msgNoAuthHello = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	msgWrongPass   = "WRONGPASS invalid username-password pair or user is disabled."
	msgAuthArity   = "ERR wrong number of arguments for 'auth' command"
	msgSyntax      = "ERR syntax error"
	msgHelloProto  = "ERR Protocol version is not an integer or out of range"
	msgNoProto     = "NOPROTO unsupported protocol version"
	// Redis would queue AUTH inside MULTI and run it at EXEC; the gate refuses it instead, which
	// also makes the transaction abort (see gateConn.enqueue).
	msgAuthInMulti = "ERR AUTH inside MULTI is not supported by the AMR emulator gate"
)

var okReply = []byte("+OK\r\n")

// cantExecute is Redis's refusal of a command in RESP2 subscribe mode.
func cantExecute(cmd string) []byte {
	return errorReply("ERR Can't execute '" + cmd + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
}

// checkCredentials reports whether user/secret is an access key (no expiry) or an Entra token
// issued to the object ID user (expiring with the token).
func (g *Gate) checkCredentials(user, secret []byte) (expiresAt time.Time, ok bool) {
	if want, found := g.opts.AccessKeys[string(user)]; found && want != "" &&
		subtle.ConstantTimeCompare([]byte(want), secret) == 1 {
		return time.Time{}, true
	}
	if g.opts.Verifier == nil {
		return time.Time{}, false
	}
	vt, err := g.opts.Verifier.VerifyToken(string(secret))
	if err != nil || vt.OID == "" || vt.OID != string(user) || !time.Now().Before(vt.ExpiresAt) {
		return time.Time{}, false
	}
	return vt.ExpiresAt, true
}

// handleAuth answers AUTH [user] secret. The first AUTH takes effect at once, so the requests
// pipelined behind it pass; a re-AUTH takes effect in reply order, because only then does the
// gate know whether Redis would have refused it in RESP2 subscribe mode.
func (c *gateConn) handleAuth(args [][]byte) {
	var user, secret []byte
	switch len(args) {
	case 0:
		c.reply(errorReply(msgAuthArity), false)
		return
	case 1:
		user, secret = []byte("default"), args[0]
	case 2:
		user, secret = args[0], args[1]
	default:
		c.reply(errorReply(msgSyntax), false)
		return
	}
	if c.inMulti {
		c.reply(errorReply(msgAuthInMulti), false)
		return
	}
	name := string(user)
	expiresAt, ok := c.g.checkCredentials(user, secret)
	epoch := c.currentEpoch()
	if !c.isAuthed() {
		if ok {
			c.authenticate(epoch, name, expiresAt)
			c.g.authOK.Add(1)
			c.reply(okReply, false)
		} else {
			c.g.authFailed.Add(1)
			c.reply(errorReply(msgWrongPass), false)
		}
		return
	}
	c.enqueue(func(subscribed2 bool) []byte {
		switch {
		case subscribed2:
			return cantExecute("auth")
		case !ok || (!expiresAt.IsZero() && !time.Now().Before(expiresAt)):
			// A failed re-AUTH leaves the connection on its old identity and token, as in Redis.
			c.g.authFailed.Add(1)
			return errorReply(msgWrongPass)
		}
		c.authenticate(epoch, name, expiresAt)
		c.g.authOK.Add(1)
		return okReply
	}, false)
}

// helloRequest is a parsed HELLO [protover [AUTH user pass] [SETNAME name]].
type helloRequest struct {
	proto        int // 0 when not given
	user, secret []byte
	hasAuth      bool
	name         []byte
	hasName      bool
}

// parseHello validates HELLO's arguments in the order Redis does; errMsg is Redis's reply to a
// malformed one.
func parseHello(args [][]byte) (h helloRequest, errMsg string) {
	if len(args) > 0 {
		v, err := strconv.ParseInt(string(args[0]), 10, 64)
		if err != nil {
			return h, msgHelloProto
		}
		if v < 2 || v > 3 {
			return h, msgNoProto
		}
		h.proto, args = int(v), args[1:]
	}
	for len(args) > 0 {
		opt, more := args[0], len(args)-1
		switch {
		case bytes.EqualFold(opt, []byte("AUTH")) && more >= 2:
			h.user, h.secret, h.hasAuth, args = args[1], args[2], true, args[3:]
		case bytes.EqualFold(opt, []byte("SETNAME")) && more >= 1:
			h.name, h.hasName, args = args[1], true, args[2:]
		default:
			return h, "ERR Syntax error in HELLO option '" + string(opt) + "'"
		}
	}
	return h, ""
}

// backendArgs is the HELLO the backend gets: the same, minus AUTH (the backend has no users).
func (h helloRequest) backendArgs() [][]byte {
	args := [][]byte{[]byte("HELLO")}
	if h.proto != 0 {
		args = append(args, []byte(strconv.Itoa(h.proto)))
	}
	if h.hasName {
		args = append(args, []byte("SETNAME"), h.name)
	}
	return args
}

// handleHello answers HELLO itself when it fails (bad arguments, WRONGPASS, NOAUTH) and
// otherwise forwards it without its AUTH part, so the client gets the backend's real HELLO
// reply and protocol switch.
func (c *gateConn) handleHello(cmd *command) {
	h, errMsg := parseHello(cmd.args[1:])
	if errMsg != "" {
		c.reply(errorReply(errMsg), false)
		return
	}
	if c.inMulti {
		if h.hasAuth {
			c.reply(errorReply(msgAuthInMulti), false)
		} else {
			c.forward(cmd)
		}
		return
	}
	epoch := c.currentEpoch()
	authed := c.isAuthed()
	if !h.hasAuth {
		if !authed {
			c.reply(errorReply(msgNoAuthHello), false)
			return
		}
		c.enqueue(func(subscribed2 bool) []byte {
			if !subscribed2 { // in RESP2 subscribe mode the backend refuses this HELLO itself
				c.setProtocol(epoch, h.proto)
			}
			return nil
		}, false)
		c.forward(cmd)
		return
	}

	name := string(h.user)
	expiresAt, ok := c.g.checkCredentials(h.user, h.secret)
	switch {
	case !authed && !ok:
		c.g.authFailed.Add(1)
		c.reply(errorReply(msgWrongPass), false)
		return
	case !authed:
		c.authenticate(epoch, name, expiresAt)
		c.setProtocol(epoch, h.proto)
		c.g.authOK.Add(1)
	case !ok:
		c.enqueue(func(subscribed2 bool) []byte {
			if subscribed2 {
				return cantExecute("hello")
			}
			c.g.authFailed.Add(1)
			return errorReply(msgWrongPass)
		}, false)
		return
	default:
		// The sentinel goes just before the HELLO, so its echo shows the state HELLO runs in.
		c.enqueue(func(subscribed2 bool) []byte {
			if !subscribed2 {
				c.authenticate(epoch, name, expiresAt)
				c.setProtocol(epoch, h.proto)
				c.g.authOK.Add(1)
			}
			return nil
		}, false)
	}
	c.forwardArgs(h.backendArgs()...)
}

package uitest

import (
	"time"
)

// T0 is the fixed time of every test clock.
var T0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

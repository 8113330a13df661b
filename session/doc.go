// Package session owns a live go-redis client (standalone or cluster) and a token manager that
// refreshes the Entra token before it expires and re-AUTHs every live connection — pooled,
// console and pub/sub — publishing events for the UI over a channel.
package session

package common

// historyMax bounds the session panel's history: the newest events are kept.
const SessionHistoryMax = 50

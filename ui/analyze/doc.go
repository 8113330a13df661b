// Package analyze is `:analyze`, the memory analysis screen: it runs package analyze (the
// engine, imported as engine) over the store's optional common.Analyzer capability in the
// background and shows its progress and results. It imports only ui/common and the engine.
package analyze

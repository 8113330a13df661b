// Package ui holds the Bubble Tea models of amr-tui. It is the only package that imports Charm
// libraries, and it reaches Redis only through interfaces it declares.
package ui

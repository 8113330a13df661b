// Package profilepicker is the profile picker (the startup screen and the P switcher) and the
// form that adds or edits a profile through the optional common.ProfileEditor. It imports only
// ui/common.
package profilepicker

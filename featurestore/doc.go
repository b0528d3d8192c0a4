// Package featurestore defines features once and serves them the same way
// to training and to online inference, as Feast does: definitions
// (package defs), point-in-time training sets (package pit joins each
// feature view's rows as of each entity row's time), and the online
// store (package online). This package connects them to datasets:
// LoadView reads a feature view's source into the join's columns, with
// expression features computed and the view's filter applied.
package featurestore

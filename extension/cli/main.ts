#!/usr/bin/env node
// Conv Lens CLI (being built): `convlens profile FILE [--entry EXPR] [--root DIR] [--input NxCxHxW] [--format table|json]`.
console.log('convlens');

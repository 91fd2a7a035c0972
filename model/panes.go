package model

import "github.com/keyhole-sh/keyhole/ui"

// panes are the components a screen is drawn from, with the styles and
// help they share: the presenter's model and each viewer of a shared
// session hold a set of their own, built and restyled alike.
type panes struct {
	styles    *ui.Styles
	help      ui.Help
	list      ui.ProviderList
	tokenPane ui.TokenPane
	composer  ui.Composer
	insp      inspector
}

// newPanes builds the components in styles st, their keys from keys.
func newPanes(st *ui.Styles, keys *ui.KeyMap) panes {
	return panes{
		styles:    st,
		help:      ui.NewHelp(*st),
		list:      ui.NewProviderList(st, keys),
		tokenPane: ui.NewTokenPane(st, keys),
		composer:  ui.NewComposer(st, keys),
		insp:      newInspector(st, keys),
	}
}

// setStyles draws every component in st (the terminal's background).
func (p *panes) setStyles(st ui.Styles) {
	p.styles = &st
	p.help.SetStyles(st)
	p.list.SetStyles(&st)
	p.tokenPane.SetStyles(&st)
	p.composer.SetStyles(&st)
	p.insp.setStyles(&st)
}

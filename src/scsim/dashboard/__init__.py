"""`scsim dashboard`: a local web app (Panel) to turn a scenario's main knobs and watch the
effect. `knobs` maps the knobs onto scenario keys, `runner` runs in the background with
progress and cancel, `charts` draws the results tables, `app` lays them out. Only `app` and
`charts` import Panel and Bokeh (the `viz` extra)."""

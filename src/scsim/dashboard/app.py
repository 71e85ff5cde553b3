"""The dashboard page: knobs on the left, progress and charts on the right.

One `Dashboard` per browser session. Runs go to a background thread (`runner.Job`); a
periodic callback on the server's own loop polls it to move the progress bar and, when the
run is done, redraws the charts. "Pin" keeps the last finished run beside the next ones.
"""

from __future__ import annotations

from typing import Any

import panel as pn

from scsim.dashboard import knobs as K
from scsim.dashboard.charts import Charts, headline
from scsim.dashboard.runner import Job

CSS = """
:host, body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; }
.scsim-title { font-size: 20px; font-weight: 700; color: #2c3e50; margin: 0; }
.scsim-sub { color: #566573; font-size: 12px; }
.scsim-side { background: #f4f6f7; border-right: 1px solid #d5dbdb; }
.scsim-status { font-size: 13px; color: #2c3e50; }
.scsim-off { color: #999; font-size: 11px; }
"""


class Dashboard:
    def __init__(self, default_preset: str = "points-city"):
        from scsim.scenario import load_scenario, preset_names

        self._load = load_scenario
        self.job: Job | None = None
        self.current: Any = None
        self.pinned: Any = None
        self.labels = {"current": "", "pinned": ""}
        self.runs = 0
        names = preset_names()
        self.preset = pn.widgets.Select(name="Preset", options=names,
                                        value=default_preset if default_preset in names
                                        else names[0], css_classes=["knob-preset"])
        self.about = pn.pane.Markdown("", css_classes=["scsim-sub"], margin=(0, 10))
        self.widgets: dict[str, Any] = {}
        for k in K.KNOBS:
            self.widgets[k.key] = self._widget(k)
        self.offnote = pn.pane.HTML("", css_classes=["scsim-off"], margin=(0, 10))
        self.run_btn = pn.widgets.Button(name="Run", button_type="primary",
                                         css_classes=["btn-run"], width=90)
        self.cancel_btn = pn.widgets.Button(name="Cancel", button_type="warning",
                                            css_classes=["btn-cancel"], width=90,
                                            disabled=True)
        self.pin_btn = pn.widgets.Button(name="Pin this run", button_type="default",
                                         css_classes=["btn-pin"], width=110, disabled=True)
        self.unpin_btn = pn.widgets.Button(name="Clear pin", css_classes=["btn-unpin"],
                                           width=90, disabled=True)
        self.progress = pn.indicators.Progress(value=0, max=100, width=320, bar_color="primary",
                                               css_classes=["run-progress"])
        self.status = pn.pane.HTML("Pick a preset, turn the knobs, press <b>Run</b>.",
                                   css_classes=["scsim-status", "run-status"])
        self.table = pn.pane.DataFrame(None, css_classes=["headline"], sizing_mode="fixed",
                                       width=430, index=True, border=0)
        self.charts = Charts()
        self.preset.param.watch(self._on_preset, "value")
        self.run_btn.on_click(self._on_run)
        self.cancel_btn.on_click(self._on_cancel)
        self.pin_btn.on_click(self._on_pin)
        self.unpin_btn.on_click(self._on_unpin)
        self._on_preset()
        self.poller = None

    # -- widgets -------------------------------------------------------------------------
    def _widget(self, k: K.Knob) -> Any:
        cls = [f"knob-{k.key}"]
        if k.kind == "bool":
            return pn.widgets.Checkbox(name=k.label, css_classes=cls)
        if k.kind == "int":
            return pn.widgets.EditableIntSlider(name=k.label, start=int(k.lo), end=int(k.hi),
                                                step=int(k.step), css_classes=cls, width=300)
        return pn.widgets.EditableFloatSlider(name=k.label, start=k.lo, end=k.hi, step=k.step,
                                              css_classes=cls, width=300)

    def values(self) -> dict[str, Any]:
        return {k: w.value for k, w in self.widgets.items()}

    def _on_preset(self, *_: Any) -> None:
        sc = self._load(self.preset.value).model
        self.sc = sc
        d = K.defaults(sc)
        off = K.unavailable(sc)
        for key, w in self.widgets.items():
            k = K.BY_KEY[key]
            if k.key == "threshold":
                w.start, w.end = float(sc.scoring.min), float(sc.scoring.max)
            w.value = d[key]
            w.disabled = key in off
        self.about.object = f"_{sc.meta.description}_"
        self.offnote.object = "<br>".join(f"{K.BY_KEY[k].label}: {why}"
                                          for k, why in off.items())

    # -- runs ----------------------------------------------------------------------------
    def _on_run(self, *_: Any) -> None:
        if self.job is not None and self.job.active:
            return
        try:
            ov = K.overrides(self.sc, self.values())
        except Exception as err:  # noqa: BLE001 - shown to the user
            self.status.object = f"<b>Cannot run:</b> {err}"
            return
        self.runs += 1
        label = f"#{self.runs} {self.preset.value}, {ov['individuals']:,} people, {ov['days']} d"
        self.job = Job(self.preset.value, ov, label=label).start()
        self.run_btn.disabled, self.cancel_btn.disabled = True, False
        self.progress.value = 0
        self.status.object = f"Running {label} ..."
        if self.poller is None:
            self.poller = pn.state.add_periodic_callback(self._poll, period=200)

    def _on_cancel(self, *_: Any) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.object = "Cancelling ..."

    def _poll(self) -> None:
        job = self.job
        if job is None:
            return
        self.progress.value = int(100 * job.fraction)
        if job.active:
            self.status.object = (f"Running {job.label}: day {job.done}/{job.days or '?'}, "
                                  f"{job.acts:,} acts")
            return
        self.run_btn.disabled, self.cancel_btn.disabled = False, True
        if job.state == "done":
            self.current, self.labels["current"] = job.results, job.label
            self.redraw()  # charts first, then the word "Done"
            wall = job.results.summary["wall_seconds"]
            self.status.object = f"<b>Done</b>: {job.label} in {wall:.1f} s"
            self.pin_btn.disabled = False
        elif job.state == "cancelled":
            self.status.object = f"<b>Cancelled</b> at day {job.done} of {job.days}: {job.label}"
        else:
            self.status.object = f"<b>Failed</b>: {job.error}"
        self.job = None
        if self.poller is not None:
            self.poller.stop()
            self.poller = None

    def _on_pin(self, *_: Any) -> None:
        if self.current is not None:
            self.pinned, self.labels["pinned"] = self.current, self.labels["current"]
            self.unpin_btn.disabled = False
            self.redraw()

    def _on_unpin(self, *_: Any) -> None:
        self.pinned, self.labels["pinned"] = None, ""
        self.unpin_btn.disabled = True
        self.redraw()

    def redraw(self) -> None:
        self.charts.update(self.current, self.pinned)
        df = headline(self.current, self.pinned)
        df.columns = [f"{c}<br><small>{self.labels[c.split()[0]]}</small>" for c in df.columns]
        self.table.escape = False
        self.table.object = df

    # -- layout --------------------------------------------------------------------------
    def layout(self) -> Any:
        side = pn.Column(
            pn.pane.HTML("<p class='scsim-title'>scsim dashboard</p>"
                         "<p class='scsim-sub'>synthetic populations only</p>"),
            self.preset, self.about,
            *[self.widgets[k.key] for k in K.KNOBS],
            self.offnote,
            css_classes=["scsim-side"], width=340, sizing_mode="stretch_height",
        )
        f = self.charts.figures
        main = pn.Column(
            pn.Row(self.run_btn, self.cancel_btn, self.pin_btn, self.unpin_btn),
            pn.Row(self.progress), self.status,
            pn.Row(pn.Column(pn.pane.Bokeh(f["listed"], sizing_mode="stretch_width"),
                             pn.pane.Bokeh(f["sanctions"], sizing_mode="stretch_width"),
                             sizing_mode="stretch_width"),
                   pn.Column(pn.pane.Bokeh(f["wrongful"], sizing_mode="stretch_width"),
                             pn.pane.Bokeh(f["wrong_records"], sizing_mode="stretch_width"),
                             sizing_mode="stretch_width"),
                   sizing_mode="stretch_width"),
            pn.Row(pn.pane.Bokeh(f["groups"], sizing_mode="stretch_width"), self.table,
                   sizing_mode="stretch_width"),
            sizing_mode="stretch_width", margin=(10, 20),
        )
        return pn.Row(side, main, sizing_mode="stretch_width", stylesheets=[CSS])


def create(default_preset: str = "points-city") -> Any:
    """A fresh page for one browser session."""
    return Dashboard(default_preset).layout()


def serve(port: int = 0, *, show: bool = False, default_preset: str = "points-city",
          ready=None) -> None:
    """Serve the dashboard on 127.0.0.1 only, until interrupted."""
    import socket

    if port == 0:  # pick a free port ourselves, to print the address before serving
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    address = f"http://127.0.0.1:{port}/"
    if ready is not None:
        ready(address)
    pn.extension(raw_css=[CSS])
    pn.serve({"/": lambda: create(default_preset)}, address="127.0.0.1", port=port,
             show=show, title="scsim dashboard", websocket_origin=[f"127.0.0.1:{port}",
                                                                    f"localhost:{port}"],
             print_url=False)

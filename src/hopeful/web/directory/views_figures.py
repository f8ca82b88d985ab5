"""``/network/figures/``: the network's live figures (public), from the certification
records (:mod:`hopeful.web.directory.figures`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hopeful.web.directory import figures as network
from hopeful.web.directory.figures import (
    BAR_STEP,
    BAR_WIDTH,
    CHART_HEIGHT,
    CHART_LEFT,
    QUARTERS,
    TILE,
    TILE_SIZE,
)


@login_not_required
@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    """Counts now, by state (map and table) and growth by quarter."""
    data = network.network_figures()
    columns = max(x for x, _y in network.TILES.values()) + 1
    rows = max(y for _x, y in network.TILES.values()) + 1
    return render(
        request,
        "directory/figures.html",
        {
            "figures": data,
            "map_width": columns * TILE,
            "map_height": rows * TILE,
            "tile_size": TILE_SIZE,
            "tile_middle": TILE_SIZE // 2,
            "bar_width": BAR_WIDTH,
            "bar_middle": BAR_WIDTH // 2,
            "chart_width": CHART_LEFT + QUARTERS * BAR_STEP,
            "chart_height": CHART_HEIGHT + 60,
            "chart_base": CHART_HEIGHT + 20,
            "chart_label_y": CHART_HEIGHT + 40,
            "small_max": network.SMALL_MAX,
        },
    )

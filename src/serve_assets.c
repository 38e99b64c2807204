/* serve_assets.c - the page of `annals serve`, compiled in from web/ (scripts/embed.cmake): the only files it serves. */
#include <string.h>

#include "annals/serve.h"

extern const char serve_asset_index_html[];
extern const char serve_asset_app_js[];
extern const char serve_asset_app_css[];

static const serve_asset assets[] = {
    {"/", "text/html; charset=utf-8", serve_asset_index_html},
    {"/app.js", "text/javascript; charset=utf-8", serve_asset_app_js},
    {"/app.css", "text/css; charset=utf-8", serve_asset_app_css},
};

const serve_asset *serve_asset_find(const char *path)
{
    for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
        if (strcmp(assets[i].path, path) == 0)
            return &assets[i];
    return NULL;
}

/* fs-map-palette.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "fs-map-palette.h"

static const FsMapPalette light_palette = {
  .fg = { 0, 0, 0, 0.8 },
  .accent = { 0x1c / 255., 0x71 / 255., 0xd8 / 255., 1 },
  .error = { 0xc0 / 255., 0x1c / 255., 0x28 / 255., 1 },
  .warning = { 0x9c / 255., 0x6e / 255., 0x03 / 255., 1 },
  .success = { 0x1b / 255., 0x85 / 255., 0x53 / 255., 1 },
};

static const FsMapPalette dark_palette = {
  .fg = { 1, 1, 1, 1 },
  .accent = { 0x78 / 255., 0xae / 255., 0xed / 255., 1 },
  .error = { 0xff / 255., 0x7b / 255., 0x63 / 255., 1 },
  .warning = { 0xf8 / 255., 0xe4 / 255., 0x5c / 255., 1 },
  .success = { 0x8f / 255., 0xf0 / 255., 0xa4 / 255., 1 },
};

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

const FsMapPalette *
fs_map_palette_get (void)
{
  return is_dark () ? &dark_palette : &light_palette;
}

GdkRGBA
fs_map_palette_kind_fill (FsMapKind kind)
{
  /* Adwaita's blue 3, purple 2, brown 2, light 4 and dark 2 */
  static const GdkRGBA hues[] = {
    [FS_MAP_KIND_SYSTEM] = { 0x77 / 255., 0x76 / 255., 0x7b / 255., 1 },
    [FS_MAP_KIND_VM] = { 0x35 / 255., 0x84 / 255., 0xe4 / 255., 1 },
    [FS_MAP_KIND_BYTECODE] = { 0xc0 / 255., 0x61 / 255., 0xcb / 255., 1 },
    [FS_MAP_KIND_STORAGE] = { 0xb5 / 255., 0x83 / 255., 0x5a / 255., 1 },
    [FS_MAP_KIND_RESERVED] = { 0x5e / 255., 0x5c / 255., 0x64 / 255., 1 },
    [FS_MAP_KIND_FREE] = { 0x9a / 255., 0x99 / 255., 0x96 / 255., 1 },
    [FS_MAP_KIND_PROBLEM] = { 0xe0 / 255., 0x1b / 255., 0x24 / 255., 1 },
  };
  GdkRGBA fill = hues[kind];

  if (kind == FS_MAP_KIND_FREE)
    fill.alpha = 0.12;
  else
    fill.alpha = is_dark () ? 0.45 : 0.3;
  return fill;
}

static GdkRGBA
with_alpha (GdkRGBA colour,
            float   alpha)
{
  colour.alpha = alpha;
  return colour;
}

GdkRGBA
fs_map_palette_state_colour (const FsMapPalette *palette,
                             FsRegionState       state)
{
  switch (state)
    {
    case FS_REGION_ERASED: return with_alpha (palette->fg, 0.45);
    case FS_REGION_SKIPPED: return with_alpha (palette->success, 0.5);
    case FS_REGION_WRITTEN: return palette->accent;
    case FS_REGION_VERIFIED: return palette->success;
    case FS_REGION_INTERRUPTED: return palette->warning;
    case FS_REGION_DIFFERS: return palette->error;
    case FS_REGION_PENDING:
    default: return with_alpha (palette->fg, 0.12);
    }
}

const GdkRGBA *
fs_map_palette_mark_colour (const FsMapPalette *palette,
                            FsMapMark           mark)
{
  switch (mark)
    {
    case FS_MAP_MARK_RUNS: return &palette->success;
    case FS_MAP_MARK_FAILED:
    case FS_MAP_MARK_PROBLEM: return &palette->error;
    case FS_MAP_MARK_DIFFERS: return &palette->warning;
    case FS_MAP_MARK_BOOTS:
    case FS_MAP_MARK_NONE:
    default: return &palette->accent;
    }
}

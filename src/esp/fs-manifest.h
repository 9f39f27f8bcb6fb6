/* fs-manifest.h: ESP Web Tools manifest.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char    *path;     /* as written: relative to the manifest */
  guint32  offset;
} FsManifestPart;

typedef struct {
  char      *chip_family;   /* "ESP32", "ESP32-S3"… */
  GPtrArray *parts;         /* of FsManifestPart, in the manifest's order */
} FsManifestBuild;

#define FS_TYPE_MANIFEST (fs_manifest_get_type ())
G_DECLARE_FINAL_TYPE (FsManifest, fs_manifest, FS, MANIFEST, GObject)

/* Parses and checks: a name, at least one build, each build a chipFamily
 * and at least one part, each part a path and an offset (a number, or a
 * string such as "0x10000") aligned to 4 KiB, no two parts of a build at
 * one offset, no part that would have to be downloaded (http: and https: paths: Flash Studio
 * works offline). Errors are FS_ERROR_INVALID_DATA with the JSON path. */
FsManifest            *fs_manifest_new_from_bytes             (GBytes      *bytes,
                                                               GError     **error);
const char            *fs_manifest_get_name                   (FsManifest  *self);
const char            *fs_manifest_get_version                (FsManifest  *self);  /* or NULL */
gboolean               fs_manifest_get_new_install_prompt_erase (FsManifest *self);
GPtrArray             *fs_manifest_get_builds                 (FsManifest  *self);  /* of FsManifestBuild */
/* The build for @chip_family (compared as fs_chip_lookup_by_name() does), or NULL */
const FsManifestBuild *fs_manifest_find_build                 (FsManifest  *self,
                                                               const char  *chip_family);

G_END_DECLS

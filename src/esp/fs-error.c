/* fs-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fs-error.h"

G_DEFINE_QUARK (fs-error-quark, fs_error)

# SPDX-License-Identifier: Apache-2.0
# host/: not built yet (filled in by its issue).

/** File helpers shared by every module: atomic writes (temp file, fsync, rename) and SHA-256 digests. */
package org.llkd.models.io;

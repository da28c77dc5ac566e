/*
 * assets.h - the style sheet and the script every page of the web UI
 * carries inline, so that a page needs nothing else from the server.
 *
 * The script works on the elements pages.c writes: the menus' links with
 * a data-param attribute (Refine: set that URL parameter to the search
 * box's text), the search box (typing highlights matching graph nodes or
 * table rows, Enter focuses on them), the graph's nodes (a click selects
 * a node and puts a regexp of the selection in the search box), the
 * top table's headers (a click sorts by that column) and the title
 * (a click shows the profile's header lines).
 */
#ifndef CPPROF_WEB_ASSETS_H
#define CPPROF_WEB_ASSETS_H

extern const char web_style[];
extern const char web_script[];

#endif

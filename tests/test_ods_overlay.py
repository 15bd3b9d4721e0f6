"""ods_info reads what an .ods cell showed straight from content.xml (no tree): the rows are
counted from their tags, so self-closing, repeated, grouped and merged rows must all land on the
right row, and only rows holding a percent, an error, a formula without a result, a merge or a
line break are walked."""

from __future__ import annotations

import io
import zipfile

from ecodesk.intake.cells import CellInfo
from ecodesk.intake.ods import ods_info

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
_S = 'office:value-type="string"'
CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_NS}><office:body><office:spreadsheet>
<table:table table:name="A"><table:table-column table:number-columns-repeated="3"/>
<table:table-row><table:table-cell table:number-columns-spanned="2" {_S}><text:p>标题</text:p>
</table:table-cell><table:covered-table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row/>
<table:table-row><table:table-cell office:value-type="percentage" office:value="0.952"
 calcext:value-type="percentage"><text:p>95.2%</text:p></table:table-cell><table:table-cell
 table:formula="of:=1/0" office:value-type="float" calcext:value-type="error"><text:p>#DIV/0!</text:p>
</table:table-cell><table:table-cell table:formula="of:=A1*2"/></table:table-row>
<table:table-row-group><table:table-row><table:table-cell {_S}><text:p>a</text:p><text:p>b</text:p>
</table:table-cell><table:table-cell {_S}><text:p>one<text:line-break/>two</text:p></table:table-cell>
</table:table-row></table:table-row-group>
<table:table-row><table:table-cell table:number-rows-spanned="2" office:value-type="float" office:value="3">
<text:p>3</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell {_S}><text:p>没有结束的行</text:p></table:table-cell>
</table:table>
<table:table table:name="B"><table:table-row><table:table-cell office:value-type="percentage"
 office:value="1"><text:p>100%</text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>""".encode()


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", CONTENT)
    return buf.getvalue()


def test_rows_are_counted_through_repeated_self_closing_and_grouped_rows():
    infos, merges, texts = ods_info(_ods())
    assert infos == {
        "A": {
            (4, 0): CellInfo(fmt="0.0%", shown="95.2%"),
            (4, 1): CellInfo(formula="of:=1/0", error="#DIV/0!", shown="#DIV/0!"),
            (4, 2): CellInfo(formula="of:=A1*2", cached=False),
        },
        "B": {(0, 0): CellInfo(fmt="0%", shown="100%")},
    }
    assert merges == {"A": [(0, 0, 0, 1), (6, 0, 7, 0)]}
    assert texts == {"A": {(5, 0): "a\nb", (5, 1): "one\ntwo"}}


def test_only_the_sheets_asked_for_are_read():
    assert ods_info(_ods(), ["B"]) == ({"B": {(0, 0): CellInfo(fmt="0%", shown="100%")}}, {}, {})

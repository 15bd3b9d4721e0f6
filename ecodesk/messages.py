"""Every message a clerk can see, as a template under a code: where, what is wrong, what to do.

Tests assert codes and build expected texts from the same templates, so rewording a message never
breaks a test. Use :func:`msg` to render.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- project / ledger -------------------------------------------------------------------
    "project.not_found": "文件夹『{path}』不存在，请检查路径，或在「开始」页用「选择文件夹并新建项目…」新建",
    "project.not_project": "文件夹『{path}』不是 EcoDesk 项目（未找到 {ledger}），请选择项目文件夹，或新建项目",
    "project.exists": "文件夹『{path}』中已有 EcoDesk 项目，请直接打开它，或换一个空文件夹新建",
    "project.newer": "该项目由更新版本的 EcoDesk 创建（账本版本 {found}，本程序支持到 {supported}），请升级 EcoDesk 后再打开",
    "project.corrupt": "项目账本『{path}』无法读取（{detail}），请从备份恢复，或联系技术支持",
    "project.locked": "项目账本正被其他程序占用，请关闭其他正在使用该项目的 EcoDesk 窗口后重试",
    "project.not_writable": "无法写入项目文件夹『{path}』（{detail}）。请检查磁盘空间是否已满、文件夹是否只读，处理后重试（已处理的内容不会丢失）",
    "project.in_use": "项目『{path}』正由 {holder} 打开。同一时间只能在一处修改项目，请先关闭那里的 EcoDesk，或以只读方式打开查看",
    "project.folder_read_only": "项目文件夹『{path}』是只读的（如光盘、写保护的 U 盘或没有写权限的共享文件夹），只能查看，不能回收、生成或修改。要继续工作，请把整个项目文件夹复制到本机可写的位置（如 D 盘），再打开复制后的文件夹",
    "project.read_only": "项目『{path}』是以只读方式打开的，不能修改。要修改，请关闭其他正在使用该项目的 EcoDesk 后重新打开；如文件夹本身只读，请先把整个项目文件夹复制到本机可写的位置",
    "project.old_read_only": "项目文件夹『{path}』由旧版 EcoDesk 创建，打开前需要升级账本，但该文件夹是只读的。请把整个项目文件夹复制到本机可写的位置后再打开",
    "project.folder_not_empty": "文件夹『{path}』里已有其他文件，不能直接作为项目文件夹。请选择一个空文件夹，或在其中新建一个子文件夹（如『{suggest}』）",
    # ---- settings ---------------------------------------------------------------------------
    "region.unknown": "地区类别『{value}』无效，可选：{choices}",
    "indicator.unknown": "没有找到指标『{ref}』。请写指标标识（ecodesk catalog 项目文件夹 --json 可查）、指标名称或序号",
    "indicator.ambiguous": "『{ref}』对应多项指标（{names}），请改用指标名称或标识",
    "indicator.bad_number": "{field}『{value}』不是数字，请填写阿拉伯数字，如 8.4",
    "indicator.bad_comparison": "上期值比较期『{value}』无法识别，可写：上年（同期上年，默认）、上一轮、基准年2020",
    "indicator.bad_better": "『{value}』无法识别，请写 higher（越高越好）或 lower（越低越好）",
    "indicator.empty_name": "指标名称不能为空",
    "catalog.elided": "指标 {number}『{name}』的{fields}含发布时省略的文字“(略)”，会原样印在填报表和汇总表上。请对照原文补全：ecodesk settings 项目文件夹 --indicator {key} {options} --note 据原文补全",
    "catalog.elided_app": "{count} 项指标的名称或指标值仍含『(略)』（{names}），会原样印在填报表和汇总表上。请在「指标与部门」页选中该指标，对照原文补全后点「保存指标修改」",
    "settings.which_indicator": "请用 --indicator 指明要修改哪项指标（标识、名称或序号）",
    "catalog.elided_task": "任务 {number}『{title}』的{fields}含发布时省略的文字“(略)”，会原样印在填报表上。请对照原文补全：ecodesk settings 项目文件夹 --task {key} {options} --note 据原文补全",
    "catalog.elided_tasks_app": "{count} 项重点任务的内容仍含『(略)』（序号 {numbers}），会原样印在填报表上。请在「指标与部门」页的「重点任务」表中选中该任务，对照原文补全后点「保存任务修改」",
    "task.unknown": "没有找到任务『{ref}』。请写任务标识（ecodesk catalog 项目文件夹 --json 可查）、任务名称或序号",
    "task.ambiguous": "『{ref}』对应多项任务（{names}），请改用任务标识",
    "task.empty_title": "任务名称（主要任务）不能为空",
    "settings.task_and_indicator": "一次只能修改一项：请分开运行 --indicator 和 --task",
    "settings.which_task": "请用 --task 指明要修改哪项任务（标识、名称或序号）",
    "terrain.unknown": "地形类别『{value}』无效，可选：{choices}",
    # ---- rounds -----------------------------------------------------------------------------
    "round.none": "本项目还没有调度轮次。请先添加：ecodesk round add 项目文件夹 轮次名称 --deadline YYYY-MM-DD",
    "round.exists": "调度轮次『{name}』已存在，请换一个名称",
    "round.not_found": "没有名为『{name}』的调度轮次，现有轮次：{names}。请从中选择，或先添加该轮次",
    "round.bad_name": '轮次名称『{name}』不能为空，也不能包含 \\ / : * ? " < > | 等字符（它会出现在文件名中）',
    "round.bad_deadline": "截止日期『{value}』格式不对，请写成 YYYY-MM-DD，如 2025-06-30",
    "round.bad_period": "调度期『{value}』无法识别，请写成 2025年度、2025年上半年、2025年下半年、2025年第三季度 或 2025年6月（没有对应期间的轮次写 none）",
    "round.past_deadline": "截止日期 {deadline} 已经过去（今天是 {today}）。请确认日期没有写错",
    "round.closed": "轮次『{name}』已结束，不能再回收文件或生成填报表。如需继续，请先重新开启该轮次（“调度轮次”页的“重新开启”，或 ecodesk round reopen）",
    "round.not_deletable": "轮次『{name}』已下发 {issued} 份填报表、收到 {received} 个文件，不能删除（记录要保留）。如本轮不再使用，请结束该轮次",
    "demo.not_empty": "文件夹『{path}』不是空的。示例项目需要一个新的空文件夹，请换一个文件夹名",
    # ---- generate ---------------------------------------------------------------------------
    "generate.unknown_department": "部门『{name}』不在本项目的责任部门中。现有部门：{names}。请检查名称，或在“指标与部门”中为该部门添加别名",
    # ---- collect: one message per file ----------------------------------------------------
    "accepted.new": "已接收{department}的{round}填报表（指标 {indicators} 项，任务 {tasks} 项）",
    "accepted.changed": "已接收{department}重新报送的填报表，较上次接收的文件有 {count} 处变化，已替换",
    "accepted.confirm": "已接收，但文件缺少模板校验信息（可能被另存或删改过），已按序号和指标名称匹配为{department}的报送，请核对后确认",
    "accepted.forced": "已按您的要求强制采用该文件作为{department}的报送",
    "accepted.reinstated": "已按您的要求改用该文件作为{department}本轮的报送（原来的文件已标为“已被替换”，仍可改回）",
    "accepted.confirmed": "已核对确认：该文件为{department}本轮的报送",
    "accepted.assigned": "已按您的指定记为{department}的报送（指标 {indicators} 项，任务 {tasks} 项）",
    "accepted.rows_left_out": "；表中不属于该部门的行未采用：{rows}",
    "withdrawn.by_clerk": "已撤回：该文件不再作为{department}本轮的报送。如需改用以前的文件，请在回收页选中它点“改用此文件…”，或运行 ecodesk reinstate",
    "accepted.tie": "{department}有两个内容不同的文件保存时间相同（或无法判断保存时间），程序无法确定哪个更新，暂以此文件为准。请核对后在回收页点“确认无误…”，或选中另一个文件点“改用此文件…”（命令行：ecodesk confirm / ecodesk reinstate）",
    "superseded.tie": "与{department}已接收的文件保存时间相同（或无法判断保存时间），无法确定哪个更新，暂未采用。如此文件才是最新的，请在回收页选中它点“改用此文件…”（命令行：ecodesk reinstate）",
    "accepted.other_template": "{department}使用了{template_of}的模板填报（文件名和所填的行都是{department}的），已记为{department}的报送（指标 {indicators} 项，任务 {tasks} 项）；请提醒{department}下次使用下发给本部门的模板。如判断有误，请在回收页点“指定部门…”（命令行：ecodesk assign）",
    "evidence.linked": "已作为{department}报送的佐证材料存档（{kind}）",
    "evidence.unlinked": "佐证材料（{kind}）已存档，但无法确定属于哪个部门：请把它和该部门的填报表放在同一文件夹（或在文件名中写上部门名称）后重新拖入",
    "evidence.duplicate": "该佐证材料已于 {time} 存档过，无需重复处理",
    # ---- 佐证材料 linked to indicators (intake.evidence_links) and the 台账 archive (archive.py) ----
    "evidence.not_found": "找不到编号为 {id} 的佐证材料（可能已被移出），请刷新后重试",
    "evidence.no_link": "编号为 {id} 的佐证材料没有对应到该指标，无需处理",
    "evidence.note_required": "移出佐证材料时请填写说明（为什么移出）",
    "evidence.unknown_indicator": "没有找到指标『{key}』。请写指标标识（ecodesk catalog 项目文件夹 --json 可查）",
    "evidence.missing_named": "佐证材料『{named}』未收到",
    "evidence.ask_named": "请随填报表一并发送该文件（同一邮件、同一文件夹或压缩包），或改正“佐证材料”栏中的文件名",
    "evidence.missing_none": "缺少佐证材料",
    "evidence.ask_none": "请在“佐证材料”栏写明文件名，并把文件随填报表一并发送（同一邮件、同一文件夹或压缩包）",
    "archive.not_empty": "文件夹『{path}』不是空的，也不是 EcoDesk 导出的台账。请选择一个新的空文件夹，或上次导出台账的文件夹",
    "archive.source_missing": "归档文件『{path}』不见了（项目文件夹可能被移动或删改），请重新回收该部门的文件后再导出台账",
    "accepted.merged": "已与{department}先前接收的文件合并：两份文件填写的行不重叠（如两个科室各填一部分），本文件填写的行已采用，先前文件填写的行仍保留（指标 {indicators} 项，任务 {tasks} 项）",
    "accepted.overlap": "{department}的两份文件填写的行部分重叠、又各有对方未填的行，已按保存时间采用较新的文件。请核对是否需要合并后，在回收页点“确认无误…”，或选中另一个文件点“改用此文件…”（命令行：ecodesk confirm / ecodesk reinstate）",
    "accepted.forced_round": "已按您的要求把{form_round}的填报表记入{round}，作为{department}本轮的报送（已记入操作记录）",
    "routed.other_round": "该文件是{form_round}下发的填报表，已记入{form_round}（本次回收选择的是{round}）；",
    "superseded.older": "该文件比已接收的{department}填报表更旧（保存于 {time}），未采用；如需改用此文件，请在回收页选中它点“改用此文件…”（命令行：ecodesk reinstate）",
    "superseded.replaced": "已被{department}更新的报送文件替换",
    "duplicate.same_file": "该文件已于 {time} 接收过，无需重复处理",
    "duplicate.same_values": "内容与已接收的{department}填报表完全相同，无需处理",
    "stale.round": "该文件为{form_round}模板，请使用本轮（{round}）下发的模板重新填报；如确认内容属于本轮，可在回收页选中它点“改用此文件…”（命令行：ecodesk reinstate）",
    "stale.version": "该文件为旧版模板（第 {old} 版），本轮已给{department}下发第 {new} 版，请使用新版模板重新填报",
    "wrong_department.checksum": "文件的模板校验信息不符（隐藏的模板信息被改动，或表格复制自其他文件），无法确认填报部门，请使用下发的原始模板重新填报",
    "wrong_department.renamed": "文件名写的是{named}，但该表是下发给{department}的模板，且填写的内容不全是{named}负责的行，无法确定报送部门。请核实后在回收页点“指定部门…”（命令行：ecodesk assign），或请{named}使用本部门的模板重新填报",
    "wrong_department.foreign_rows": "表中含有不属于{department}的指标或任务（{rows}），可能复制了其他部门的内容，请使用下发给本部门的模板填报",
    "wrong_department.unknown": "该模板的填报部门『{department}』不在本项目的部门名单中，请核实",
    "not_template.foreign": "不是本系统下发的填报表（未找到“指标填报”或“任务进展”表）。如确为某部门报送，请让该部门用下发的填报表重新填报",
    "not_template.other_project": "该填报表来自其他项目（其他县市或另一个项目文件夹），不属于本项目",
    "not_template.no_department": "无法识别填报部门（模板信息已删除，标题和文件名中也没有部门名称）。请在回收页选中它点“指定部门…”（命令行：ecodesk assign）",
    "unreadable.empty": "文件为空（0 字节），请让报送部门重新发送",
    "unreadable.too_big": "文件过大（{detail}），超过 30 MB 上限，请删除表中的图片等内容后重新报送",
    "unreadable.not_spreadsheet": "不是 Excel 表格文件（{detail}），请报送下发的 .xlsx 填报表；如是佐证材料，请转为 PDF、OFD、JPG/PNG、Word、Excel 或 WPS 格式后随填报表发送",
    "unreadable.corrupt": "文件已损坏，无法打开（{detail}），请让报送部门重新保存后发送",
    "unreadable.encrypted": "文件设置了打开密码，无法读取，请让报送部门取消密码后重新发送",
    "unreadable.zip_bomb": "文件解压后过大或结构异常（{detail}），为安全起见未打开，请让报送部门重新保存后发送",
    "unreadable.wps": "文件是 WPS 表格自有格式（.et/.ett），无法读取。请让报送部门在 WPS 中打开该文件，点“文件”→“另存为”，文件类型选“Excel 工作簿（*.xlsx）”，保存后重新发送",
    "unreadable.xlsb": "文件为 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后重新报送",
    "unreadable.io": "无法读取文件（{detail}），请确认文件未被其他程序占用后重试",
    "unreadable.mail": "邮件无法打开或没有附件（{detail}），请在邮件程序中把附件另存出来后拖入",
    "unreadable.lock_file": "这是 Excel 或 WPS 打开文件时产生的临时文件，不是报送文件，可以忽略",
    "internal.error": "处理该文件时程序出错（{detail}），该文件未录入，本批其他文件已照常处理。请把该文件和项目文件夹中的『{log}』一并发送给技术支持",
    "unreadable.archive": "压缩包无法解开（{detail}），请让报送部门重新打包发送",
    # ---- value problems (one per cell) -------------------------------------------------------
    "value.not_number": "{sheet}第 {row} 行『{name}』的{field}『{raw}』不是数字，请填写阿拉伯数字，如 95.2",
    "value.unknown_status": "{sheet}第 {row} 行『{name}』的{field}『{raw}』不是可选的状态，请从下拉列表选择：{options}",
    "value.out_of_range": "{sheet}第 {row} 行『{name}』的{field}『{raw}』超出 0～100 的范围，请核对",
    "value.excel_error": "{sheet}第 {row} 行『{name}』的{field}是 Excel 错误值『{raw}』，请填写数值",
    "value.inequality": "{sheet}第 {row} 行『{name}』的{field}『{raw}』含有“≥”等符号，请填写实际数值",
    "value.date": "{sheet}第 {row} 行『{name}』的{field}『{raw}』被识别为日期，请填写数值",
    "value.formula_no_result": "{sheet}第 {row} 行『{name}』的{field}是公式『{raw}』，文件中没有它的计算结果。公式没有计算结果，请在 Excel 中打开后保存再发送",
    "value.fraction": "{sheet}第 {row} 行『{name}』的{field}单元格显示 {raw}（没有百分号），该指标以百分数填报，{raw} 可能是 {scaled}%，已标为待核实，请向部门核实后在校验页改判或让部门改填 {scaled}",
    "value.blank_marker": "{sheet}第 {row} 行『{name}』的{field}填写为『{raw}』，按未填写（缺报）处理；如有数据请补填数值，如确实不适用或无法统计请在“完成情况说明”中写明原因",
    "value.unit_other": "{sheet}第 {row} 行『{name}』的{field}『{raw}』所带的单位不是该指标的单位（{unit}），未换算，已标为待核实；请按“{unit}”填写数值",
    "value.fraction_other": "{sheet}第 {row} 行『{name}』的{field}单元格显示 {raw}（没有百分号），而本期值是 {current}，{raw} 可能是 {scaled}%，已标为待核实，请向部门核实后在校验页改判或让部门改填 {scaled}",
    "value.too_long": "{sheet}第 {row} 行『{name}』的{field}过长（{length} 字），已截取前 {limit} 字保存",
    # ---- layout problems (one per row, sheet or file) ----------------------------------------
    "row.key_name_mismatch": "{sheet}第 {row} 行写的是『{name}』，但该行隐藏的标识属于『{key_name}』（可能只对部分列排序或移动过行），已按指标名称记为『{name}』，请核实",
    "row.name_unknown": "{sheet}第 {row} 行的名称『{name}』与该行隐藏标识对应的『{key_name}』不一致，名称不在本项目的指标中，已按标识记为『{key_name}』，请核实",
    "row.duplicate": "{sheet}第 {row} 行与第 {first} 行是同一项『{name}』（可能复制了整行），只采用第 {first} 行，第 {row} 行的内容未录入，请核实",
    "row.unmatched": "{sheet}{rows}不是本项目的指标或任务，内容未录入；如是新增的分项，请写在所属指标的“完成情况说明”中，如是粘贴的其他表格，请删除后重新报送",
    "cell.merged": "{sheet}的“{header}”列第 {first}～{last} 行被合并为一个单元格（{cell}），已对这几行记录同一内容『{raw}』，请核实是否每行都应填这个值",
    "sheet.header_edited": "{sheet}的表头『{header}』（{col} 列）被改动过，已按“{expected}”列读取，请核实",
    "sheet.extra_column": "{sheet}的 {col} 列（{header}）不是填报表的列，其中的内容未读取；需要报送的内容请填在填报表原有的列中",
    "sheet.pasted_table": "{sheet}第 {row} 行的 {col} 列起粘贴了另一张表格，其中的内容未读取，请核实",
    "sheet.renamed": "文件中没有“{expected}”工作表，已读取表头相同的工作表『{sheet}』（工作表可能被改名），请核实",
    "sheet.copied": "“{expected}”表没有填写，内容填在了复制出的工作表『{sheet}』中，已读取该表，请核实；以后请直接填在“{expected}”表中",
    "sheet.extra": "文件中多了工作表『{sheet}』，其中的内容未读取；需要报送的内容请填在“{expected}”表中",
    "form.no_rows": "表中没有找到任何指标或任务行（可能删除了行或粘贴了其他表格），没有录入任何数据，请让报送部门使用下发的模板重新填报",
    "form.rows_missing": "表中缺少 {count} 项应填报的内容（{names}），可能删除了行，请核实",
    "form.untouched": "文件中没有填写任何内容（发回的是空白模板），请提醒{department}填写后重新报送",
    "task.unknown_status": "{sheet}第 {row} 行任务『{name}』的完成状态『{raw}』不是可选的状态，请选择：已完成、推进中、未启动、滞后",
    "task.formula_no_result": "{sheet}第 {row} 行任务『{name}』的完成状态是公式『{raw}』，文件中没有它的计算结果。请在 Excel 中打开后保存再发送，或直接选择：已完成、推进中、未启动、滞后",
    "task.excel_error": "{sheet}第 {row} 行任务『{name}』的完成状态是错误值『{raw}』，请选择：已完成、推进中、未启动、滞后",
    # ---- what changed since the department's previous file (one line per cell) ---------------
    "change.indicator": "『{name}』{field}：{old} → {new}",
    "change.task": "任务『{name}』{field}：{old} → {new}",
    "change.empty": "（空）",
    # ---- choosing files by hand --------------------------------------------------------------
    "correct.not_found": "本轮（{round}）没有收到过『{ref}』。请用 ecodesk submissions 项目文件夹 --round {round} 查看本轮收到的文件及其编号",
    "correct.ambiguous": "本轮有几个不同的文件都叫『{ref}』（{ids}），请用编号指定其中一个，如 {ids} 中的一个",
    "correct.no_note": '请写明原因（将记入操作记录），命令行用 --note "原因"',
    "correct.not_current": "该文件的状态为“{status}”，不是本轮已接收的文件，无需此操作",
    "correct.cannot_read": "『{file}』无法读取或没有留存副本，不能指定部门。请让报送部门重新发送可以打开的填报表",
    "correct.unknown_department": "本项目的部门名单中没有『{department}』，请从以下部门中选择：{names}",
    "correct.no_rows": "『{file}』中没有{department}负责的指标或任务，不能记为{department}的报送。请核对部门，或让其使用本部门的模板重新填报",
    "choose.not_found": "找不到编号为 {id} 的报送记录，可能已被删除。请重新回收该文件后再选择",
    "choose.not_allowed": "该文件的状态为“{status}”，不能采用（只有被替换、过期或待确认的有效填报表可以采用）",
    # ---- verdicts ---------------------------------------------------------------------------
    "verdict.bad": "判定结果『{value}』无效，可选：达标、未达标、待核实、缺报、不适用",
    "verdict.unknown_indicator": "本项目没有标识为『{key}』的指标。请用 ecodesk catalog 项目文件夹 --json 查看各指标的标识",
    "verdict.choose": "请用 --set 给出判定结果（达标、未达标、待核实、缺报、不适用），或用 --clear 撤销人工判定",
    "verdict.note_required": "改判或更正本期值时请填写说明（为什么改判、依据是什么）",
    # ---- report -----------------------------------------------------------------------------
    "report.locked": "无法写入『{path}』：文件可能正在 Excel 或 WPS 中打开。请先在 Excel 中关闭该文件，再点击重试",
    "report.no_libreoffice": "汇总表已生成，但未找到 LibreOffice，无法生成 PDF。请安装 LibreOffice 后重试，或直接用 Excel/WPS 打开汇总表打印",
    "history.bad_out": "导出文件『{path}』的扩展名应为 .xlsx 或 .csv，如 历年数据.xlsx",
    "report.write_failed": "无法写入『{path}』（{detail}），请检查磁盘空间和文件夹权限后重试",
    # ---- LibreOffice ------------------------------------------------------------------------
    "office.not_found": "未找到 LibreOffice，无法生成 PDF。请安装 LibreOffice（https://www.libreoffice.org）后重试，或直接用 Excel/WPS 打开文件打印",
    "office.timeout": "LibreOffice 处理『{name}』超过 {seconds:.0f} 秒仍未完成，已中止。请关闭其他正在运行的 LibreOffice 后重试，或直接用 Excel/WPS 打开文件打印",
    "office.failed": "LibreOffice 无法把『{name}』转换为 {fmt}（{detail}）。请确认该文件能用 Excel 或 WPS 正常打开后重试，或直接用 Excel/WPS 打印",
    "office.src_missing": "找不到文件『{path}』，请检查路径",
    "office.same_file": "输出文件『{path}』就是源文件，转换会覆盖它。请选择其他输出文件夹",
    "office.bad_format": "不支持的输出格式『{fmt}』，可选：{choices}",
    # ---- catalogue import -------------------------------------------------------------------
    "import.file_missing": "找不到文件『{path}』，请检查路径",
    "import.cannot_read": "无法读取文件『{file}』（{detail}），请确认文件未被其他程序占用",
    "import.empty_file": "文件『{file}』是空文件（0 字节），不是 Excel 工作簿，请重新选择",
    "import.xls_or_password": "文件『{file}』是旧版 .xls 格式或设置了打开密码，无法读取；请在 Excel 或 WPS 中取消密码，并“另存为” Excel 工作簿（.xlsx）后再导入",
    "import.not_xlsx": "文件『{file}』不是有效的 Excel 工作簿（.xlsx），无法读取；请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入",
    "import.no_header": "{sheets}工作表前 {rows} 行中未找到{title}的表头（应有{columns}等列），请检查是否选错了文件或工作表",
    "import.missing_columns": "『{sheet}』工作表第 {row} 行：表头缺少{columns}列，请补上该列后再导入",
    "import.no_indicator_name": "『{sheet}』工作表第 {row} 行：未找到“指标名称”，请检查该行是否为空或表头是否正确",
    "import.no_number": "『{sheet}』工作表第 {row} 行：未找到“序号”，请在该行填写序号（同一组的子指标可与上一行相同）",
    "import.no_task_title": "『{sheet}』工作表第 {row} 行：未找到“主要任务”，请检查该行是否为空或表头是否正确",
    "import.no_indicator_rows": "『{sheet}』工作表第 {row} 行：表头下方没有任何指标行，请检查文件内容",
    "import.nothing_given": "请至少选择附件1（指标责任分解表）或附件2（重点工作任务清单）之一",
    "catalog.no_indicators": "指标表中没有任何指标，请检查导入的附件1",
    # ---- catalogue import: what the clerk should check in the imported tables ----------------
    # (ecodesk.catalogue.import_annex / .departments / .settle; sheet and row as the table shows them)
    "import.not_indicator_row": "『{sheet}』工作表第 {row} 行：『{text}』不是指标行，已跳过；如它是指标，请在附件1中补上该行的序号和指标名称",
    "import.not_task_row": "『{sheet}』工作表第 {row} 行：『{text}』不是任务行，已跳过；如它是任务，请在附件2中补上该行的序号和主要任务",
    "import.second_local_column": "『{sheet}』工作表第 {row} 行：表头『{header}』也像本地目标列，只导入了第一列本地目标",
    "import.unknown_column": "『{sheet}』工作表第 {row} 行：表头『{header}』列不是附件1的标准列，未导入（如是本地目标，请把表头改为“本地目标”后重新导入）",
    "import.local_in_brackets": "『{sheet}』工作表第 {row} 行：指标『{name}』的指标值括号内的『{local}』已作为本地目标导入，国家指标值按『{national}』判定，请核对",
    "import.local_after_semicolon": "『{sheet}』工作表第 {row} 行：指标『{name}』的指标值“；”之后的『{local}』已作为本地目标导入，国家指标值按『{national}』判定，请核对",
    "import.no_target": "『{sheet}』工作表第 {row} 行：指标『{name}』的“指标值”为空，将需要人工判定；请在「指标与部门」页选中该指标填写“指标值”后点「保存指标修改」（命令行：ecodesk settings 项目文件夹 --indicator 指标名称 --target 指标值）",
    "import.no_department": "『{sheet}』工作表第 {row} 行：指标『{name}』未填写责任部门，不会出现在任何部门的填报表上；请在附件1中补填责任部门，再用改好的附件1新建项目",
    "import.task_numbered": "『{sheet}』工作表第 {row} 行：任务『{title}』没有序号，已按顺序编为 {number}",
    "import.department_unsplit": "『{sheet}』工作表第 {row} 行：责任部门『{name}』缺少分隔符，已拆分为：{parts}",
    "import.department_repeated": "『{sheet}』工作表第 {row} 行：责任部门『{name}』重复出现，已合并",
    "import.no_annex2": "未提供附件2（重点工作任务清单），重点任务为空，可稍后再导入",
    "import.alias_roster": "责任部门『{old}』与『{new}』是同一部门（别名），已按项目部门名单记为『{new}』",
    "import.alias_own": "责任部门『{old}』与『{new}』是同一部门（别名），已按本县表格中最常用的写法记为『{new}』",
    "import.alias_builtin": "责任部门『{old}』与『{new}』是同一部门（别名），内置指标表中的写法已按本县的写法记为『{new}』",
    "import.department_added": "责任部门『{name}』不在项目部门名单中，已作为新部门加入",
    "import.region_label": "指标『{name}』：指标值中的地区『{label}』无法识别，这一档目标不会被自动选用；请核对该指标值的地区写法（如“东部地区”）",
    "import.region_case": "指标『{name}』：指标值中『{label}』一档没有写目标值，该档已设为人工判定；如有目标值，请在「指标与部门」页补进该指标的“指标值”",
    # ---- rule parsing: warnings about a 指标值 text (ecodesk.rules.phrase) ----------------------
    "rule.manual": "指标值『{text}』无法识别为规则，已设为人工判定",
    "rule.manual_part": "指标值中的『{text}』无法识别为规则，该部分已设为人工判定",
    "rule.ranking": "指标值『{text}』是排名类目标，已设为人工判定",
    "rule.empty": "指标值为空，已设为人工判定",
    "rule.too_long": "指标值过长（{n} 个字符），已设为人工判定，请核对是否误填了说明文字",
    "rule.note": "括号内的说明『{note}』未参与判定，请核对它是否适用本地",
    "rule.bare": "指标值『{text}』没有写比较符号，按“{meaning}”理解，请核对",
    "rule.bound_conflict": "指标值『{text}』的比较符号与“{bound}”矛盾，按比较符号判定，请核对",
    "rule.semicolon": "指标值『{text}』中的分号按“且”理解（每一项都须达到），请核对",
    "rule.region_label": "指标值中的地区『{label}』无法识别，这一档目标不会被自动选用；请核对该指标值的地区写法（如“东部地区”）",
    "rule.region_case": "指标值中『{label}』一档没有写目标值，该档已设为人工判定；如有目标值，请在「指标与部门」页补进该指标的“指标值”",
    "rule.needs_better": "判定“改善”或上级目标需要知道该指标越高越好还是越低越好，请在指标目录中设置",
    # ---- value flags: what intake did with a cell (ecodesk.intake.normalise) -------------------
    "flag.blank_marker": "填写了“—”“/”“无”等表示空白的符号，按未填写处理",
    "flag.fullwidth": "全角数字已转换",
    "flag.approx": "含“约”等字样，按近似值处理",
    "flag.inequality": "填写了“≥”等符号，请填写实际数值",
    "flag.thousands": "千位分隔符已去除",
    "flag.wan": "“万”已换算",
    "flag.yi": "“亿”已换算",
    "flag.percent_sign": "百分号已去除，按所填数值记录",
    "flag.unit_text": "数值后的单位已去除",
    "flag.unit_other": "数值后的单位不是该指标的单位，未换算",
    "flag.not_number": "不是数字",
    "flag.not_finite": "数值无效（无穷大或非数字）",
    "flag.excel_error": "单元格是 Excel 错误值（如 #DIV/0!），请检查公式",
    "flag.formula_no_result": "公式没有计算结果，请在 Excel 中打开后保存再发送",
    "flag.formula": "单元格是公式，按文件中保存的计算结果记录",
    "flag.percent_format": "单元格为百分比格式，按显示的百分数记录",
    "flag.merged": "单元格与其他行合并，按合并单元格的内容记录",
    "flag.date": "单元格是日期，不是数值，请检查单元格格式",
    "flag.variant": "填写的说法已按选项归并",
    "flag.not_applicable": "填写为“不适用”",
    "flag.unknown_status": "不是可选的状态，请从下拉选项中选择",
    # ---- verdict issues: a stored flag that needs a person (ecodesk.verdicts) ------------------
    "issue.flag.value.inequality": "本期值含“≥”等符号",
    "issue.flag.value.out_of_range": "本期值超出 0～100",
    "issue.flag.value.date": "本期值被识别为日期",
    "issue.flag.approx": "本期值为约数",
    "issue.flag.value.excel_error": "本期值是 Excel 错误值『{raw}』",
    "issue.flag.value.formula_no_result": "本期值是公式，文件中没有计算结果（公式没有计算结果，请在 Excel 中打开后保存再发送）",
    "issue.flag.value.unit_other": "本期值『{raw}』所带的单位不是该指标的单位，未换算",
    "issue.flag.value.fraction_other": "上期值或上级下达目标值是没有百分号的小数，而本期值是百分数，可能应为百分数，请核实",
    "issue.flag.merged": "本期值取自与其他行合并的单元格 {cell}",
    "issue.lead_missing": "牵头单位{lead}未填报，采用配合单位{department}的数据",
    "issue.period_mismatch": "填报的上期值所属期为『{period}』，本指标应与{compare}比较，请核实上期值",
    "issue.previous_differs": "填报的上期值 {reported} 与{ledger}{ledger_value} 不一致",
    "issue.na_no_reason": "填报不适用但未说明理由",
    "issue.conflict": "{other}填报 {other_raw}，与{department}的 {raw} 不一致{where}",
    "issue.fraction": "单元格显示 {raw}（没有百分号），该指标以百分数计，可能应为 {scaled}%",
}


#: How each intake status (:class:`ecodesk.intake.statuses.FileStatus`, keys equal to its values) is
#: shown to a clerk (CLI and app): display only.
STATUS_LABELS: dict[str, str] = {
    "accepted": "已接收",
    "superseded": "已被替换",
    "duplicate": "重复",
    "stale": "过期模板",
    "wrong_department": "部门不符",
    "not_template": "非填报表",
    "unreadable": "无法读取",
    "internal": "程序出错",
    "withdrawn": "已撤回",
    "evidence": "佐证材料",
}


#: errno → what it means for the clerk (the system's own text may be English)
_ERRNO_REASONS = {
    1: "没有权限",
    5: "磁盘读写出错",
    13: "没有写入权限，或文件正被其他程序打开",
    28: "磁盘空间已满",
    30: "文件夹是只读的",
    122: "超出磁盘配额",
}


def os_reason(exc: BaseException) -> str:
    """Why a file operation failed, in Chinese (never the system's English text)."""
    import errno as _errno

    number = getattr(exc, "errno", None)
    if isinstance(exc, OSError) and number in _ERRNO_REASONS:
        return _ERRNO_REASONS[number]
    if isinstance(exc, OSError) and number == _errno.ENOENT:
        return "找不到文件或文件夹"
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "文件夹或账本是只读的"
    if "full" in text or "no space" in text:
        return "磁盘空间已满"
    if "disk i/o" in text or "i/o" in text:
        return "磁盘读写出错"
    if "permission" in text or "access is denied" in text:
        return "没有写入权限，或文件正被其他程序打开"
    if "locked" in text or "busy" in text:
        return "文件正被其他程序占用"
    if "not a database" in text or "malformed" in text:
        return "账本文件已损坏"
    return "读写文件时出错"


def section(prefix: str) -> dict[str, str]:
    """The templates under ``prefix`` (``"rule."``), keyed without it, in catalogue order."""
    return {k[len(prefix) :]: v for k, v in MESSAGES.items() if k.startswith(prefix)}


def msg(code: str, **kwargs: object) -> str:
    """Render the message ``code`` with its fields."""
    return MESSAGES[code].format(**kwargs)


class EcoDeskError(Exception):
    """An error a user can act on. ``str(err)`` is the Chinese message; ``code`` its template."""

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        self.fields = kwargs
        super().__init__(msg(code, **kwargs))

"""Every message a clerk can see, as a template under a code: where, what is wrong, what to do.

Tests assert codes and build expected texts from the same templates, so rewording a message never
breaks a test. Use :func:`msg` to render.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- project / ledger -------------------------------------------------------------------
    "project.not_found": "文件夹『{path}』不存在，请检查路径或先用“新建项目”创建",
    "project.not_project": "文件夹『{path}』不是 EcoDesk 项目（未找到 {ledger}），请选择项目文件夹，或新建项目",
    "project.exists": "文件夹『{path}』中已有 EcoDesk 项目，请直接打开它，或换一个空文件夹新建",
    "project.newer": "该项目由更新版本的 EcoDesk 创建（账本版本 {found}，本程序支持到 {supported}），请升级 EcoDesk 后再打开",
    "project.corrupt": "项目账本『{path}』无法读取（{detail}），请从备份恢复，或联系技术支持",
    "project.locked": "项目账本正被其他程序占用，请关闭其他正在使用该项目的 EcoDesk 窗口后重试",
    "project.not_writable": "无法写入文件夹『{path}』（{detail}），请检查磁盘空间和写入权限后重试",
    # ---- settings ---------------------------------------------------------------------------
    "region.unknown": "地区类别『{value}』无效，可选：{choices}",
    "terrain.unknown": "地形类别『{value}』无效，可选：{choices}",
    # ---- rounds -----------------------------------------------------------------------------
    "round.exists": "调度轮次『{name}』已存在，请换一个名称",
    "round.not_found": "没有名为『{name}』的调度轮次，现有轮次：{names}",
    "round.bad_name": "轮次名称『{name}』不能为空，也不能包含 \\ / : * ? \" < > | 等字符（它会出现在文件名中）",
    "round.bad_deadline": "截止日期『{value}』格式不对，请写成 YYYY-MM-DD，如 2025-06-30",
    # ---- generate ---------------------------------------------------------------------------
    "generate.unknown_department": "部门『{name}』不在本项目的责任部门中。现有部门：{names}",
    # ---- catalogue import -------------------------------------------------------------------
    "import.failed": "{detail}",
    "import.file_missing": "找不到文件『{path}』，请检查路径",
    "catalog.no_indicators": "指标表中没有任何指标，请检查导入的附件1",
}


def msg(code: str, **kwargs: object) -> str:
    """Render the message ``code`` with its fields."""
    return MESSAGES[code].format(**kwargs)


class EcoDeskError(Exception):
    """An error a user can act on. ``str(err)`` is the Chinese message; ``code`` its template."""

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        self.fields = kwargs
        super().__init__(msg(code, **kwargs))

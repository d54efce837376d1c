"""Documentation of the codes of writing the output folder (P8xx), for `site-builder rules`.

Imported by the check stage so that every code an editor can meet is explained.
"""

from ..check.registry import document
from ..errors import WARNING

document("P801", "输出文件夹只能逐个文件更新", severity=WARNING, explanation="""
site-builder build 先在输出文件夹旁边生成完整的新网站，再一步换入，所以任何时候打开的都是完整的旧网站或完整的新网站。
输出文件夹是挂载点（或与上一级文件夹不在同一个文件系统上）时不能整体换入，只能逐个文件更新：
网站照常生成，但更新的那一瞬间新旧网页会混在一起，生成中途被打断时要再运行一次。""",
         wrong="mount /dev/sdb1 /srv/site/build\nsite-builder build --out /srv/site/build",
         right="mount /dev/sdb1 /srv/site\nsite-builder build --out /srv/site/build")
document("P802", "无法写入输出文件夹", explanation="""
生成网站时写不进输出文件夹（权限不够、磁盘已满等）。这时不会换入新网站，原来的输出文件夹保持不变。
按提示检查权限或磁盘空间后重新生成。""",
         wrong="（build/ 中的文件属于另一个用户，不能读取）",
         right="chown -R 生成网站的用户 build\nsite-builder build")
document("P803", "输出文件夹中的文件在生成之后被改动过", explanation="""
site-builder build 记得它写出的每个下载文件的内容摘要。重新生成某个年度的汇总压缩包时，会把这一年各张表的文件从输出文件夹读回来打包；
读回的内容与写出时不同（有人或别的程序改过这个文件，而且大小和修改时间没变），说明它已经不是按记录生成的那一份，
网站不会把它打包或继续发布，生成停止，输出文件夹保持不变。删除这个文件（或整个输出文件夹）后重新生成，它会按 content/ 中的记录重新写出。""",
         wrong="（在 build/downloads/2023/ 里直接改了一张表的 CSV，又把修改时间改回原样）",
         right="rm build/downloads/2023/x.csv\nsite-builder build")
document("P804", "输出文件夹不能用", explanation="""
site-builder build 生成完整的新网站后把整个输出文件夹换掉，下一次生成时删掉新网站里没有的文件。
所以输出文件夹（--out）不能是站点文件夹本身或它的上级文件夹，不能在 content/、layouts/、archives/ 里，不能是一个文件，
也不能是已经放着别的文件、又从没有生成过网站的文件夹：否则其中的记录和文件会丢失。遇到这种情况不生成，什么都不改动。
请用 --out 指定一个新的（或空的）文件夹；不写 --out 时输出到站点文件夹下的 build/。""",
         wrong="site-builder build --out content",
         right="site-builder build --out build")
